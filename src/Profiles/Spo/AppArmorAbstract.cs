using Portcullis.Profiles.Collections;

namespace Portcullis.Profiles.Spo;

/// <summary>
/// SPO's abstract AppArmor profile: allow lists for executables, libraries, file paths, networking and
/// capabilities. A section that is absent (null) adds no rules; AppArmor denies what no rule allows.
/// </summary>
public sealed record AppArmorAbstract
{
    public ValueList<string>? AllowedExecutables { get; init; }
    public ValueList<string>? AllowedLibraries { get; init; }
    public ValueList<string>? ReadOnlyPaths { get; init; }
    public ValueList<string>? WriteOnlyPaths { get; init; }
    public ValueList<string>? ReadWritePaths { get; init; }
    public ValueList<string>? AllowedCapabilities { get; init; }
    public bool? AllowRaw { get; init; }
    public bool? AllowTcp { get; init; }
    public bool? AllowUdp { get; init; }

    public bool HasExecutable => AllowedExecutables is not null || AllowedLibraries is not null;
    public bool HasFilesystem => ReadOnlyPaths is not null || WriteOnlyPaths is not null || ReadWritePaths is not null;
    public bool HasNetwork => AllowRaw is not null || AllowTcp is not null || AllowUdp is not null;
}
