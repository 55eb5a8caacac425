namespace Portcullis.Analyzer.Model;

/// <summary>
/// Why a syscall is predicted: the app method that crosses into the framework (or a native library), the
/// API it calls, the group of measured syscalls that API needs, the IL offset, and the source line when the
/// PDB has one. Native imports have the library and the libc function instead.
/// </summary>
public sealed record Evidence(string Site, string Api, string Group, int? IlOffset, string? Source)
{
    public override string ToString() =>
        $"{Site}{(Source is null ? "" : $" ({Source})")} → {Api} → {Group}";
}
