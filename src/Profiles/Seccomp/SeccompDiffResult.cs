namespace Portcullis.Profiles.Seccomp;

public sealed record SeccompDiffResult(
    SeccompAction DefaultBefore,
    SeccompAction DefaultAfter,
    IReadOnlyList<SeccompArch> ArchitecturesAdded,
    IReadOnlyList<SeccompArch> ArchitecturesRemoved,
    IReadOnlyList<ArchitectureDiff> Architectures)
{
    public bool IsEmpty => DefaultBefore == DefaultAfter && ArchitecturesAdded.Count == 0 && ArchitecturesRemoved.Count == 0
        && Architectures.All(a => a.Changes.Count == 0);
}
