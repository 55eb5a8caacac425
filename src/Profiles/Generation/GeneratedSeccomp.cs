using Portcullis.Profiles.Seccomp;

namespace Portcullis.Profiles.Generation;

/// <summary>
/// A generated seccomp profile and its explanation: every allowed syscall with the reasons for it, the
/// cross-architecture translations made, the syscalls answered with ENOSYS (newer than anything allowed,
/// so that libc and the runtime fall back) and those left out on purpose (denied, io_uring).
/// </summary>
public sealed record GeneratedSeccomp(
    SeccompProfile Profile,
    IReadOnlyDictionary<string, IReadOnlyList<SyscallReason>> Allowed,
    IReadOnlyList<ArchTranslation> Translations,
    IReadOnlyList<string> Enosys,
    IReadOnlyList<string> LeftOut);
