using Portcullis.Profiles.Seccomp;

namespace Portcullis.Profiles.Recordings;

/// <summary>A syscall seen on one ABI: its number (kept even when the table has no name for it), name if known, count and who saw it.</summary>
public sealed record SyscallObservation(SeccompArch Architecture, int Number, string? Name, long Count, IReadOnlySet<Backend> SeenBy);
