namespace Portcullis.Profiles.Seccomp;

public sealed record ArchitectureDiff(SeccompArch Architecture, IReadOnlyList<SyscallChange> Changes);
