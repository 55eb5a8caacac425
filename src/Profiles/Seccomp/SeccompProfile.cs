using Portcullis.Profiles.Collections;
using Portcullis.Profiles.Diagnostics;
using Portcullis.Profiles.Documents;

namespace Portcullis.Profiles.Seccomp;

/// <summary>
/// The OCI runtime-spec <c>linux.seccomp</c> object, plus the fields Docker and containers/common add
/// (archMap, per-rule comment/includes/excludes). Unknown fields are kept in <see cref="Extra"/> for round trips.
/// Value equality ignores origins, so a profile written and read back equals the original.
/// </summary>
public sealed record SeccompProfile
{
    public required SeccompAction DefaultAction { get; init; }
    public uint? DefaultErrnoRet { get; init; }
    public ValueList<SeccompArch> Architectures { get; init; } = [];
    public ValueList<ArchMapEntry> ArchMap { get; init; } = [];
    public ValueList<SeccompFlag> Flags { get; init; } = [];
    public string? ListenerPath { get; init; }
    public string? ListenerMetadata { get; init; }
    public ValueList<SeccompRule> Syscalls { get; init; } = [];
    public ValueList<DocEntry> Extra { get; init; } = [];
    public Origin Origin { get; init; }

    /// <summary>Where each field was written, for findings about one field.</summary>
    public FieldOrigins FieldOrigins { get; init; }

    public Origin OriginOf(string field) => FieldOrigins.Of(field, Origin);

    /// <summary>Every architecture the profile names: <see cref="Architectures"/>, or for a Docker profile the archMap entries and their sub-architectures.</summary>
    public IReadOnlyList<SeccompArch> EffectiveArchitectures()
    {
        if (Architectures.Count > 0)
            return Architectures;
        return ArchMap.SelectMany(m => m.SubArchitectures.Prepend(m.Architecture)).Distinct().ToList();
    }

    public bool UsesDockerExtensions => ArchMap.Count > 0 || Syscalls.Any(r => r.HasDockerFilters);
}
