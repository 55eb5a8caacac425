using Portcullis.Profiles.Seccomp;
using Portcullis.Profiles.Syscalls;

namespace Portcullis.Profiles.Generation;

/// <summary>
/// A syscall recorded on one architecture that the target architecture does not have, and what libc and
/// the .NET runtime call there instead (aarch64 has no open, stat, fork, pipe, poll, ...).
/// </summary>
public sealed record ArchTranslation(string From, SeccompArch Target, IReadOnlyList<string> To)
{
    private static readonly Dictionary<string, string[]> Replacements = new(StringComparer.Ordinal)
    {
        ["open"] = ["openat"], ["creat"] = ["openat"], ["stat"] = ["newfstatat", "statx"], ["lstat"] = ["newfstatat", "statx"],
        ["access"] = ["faccessat", "faccessat2"], ["readlink"] = ["readlinkat"], ["unlink"] = ["unlinkat"], ["rmdir"] = ["unlinkat"],
        ["mkdir"] = ["mkdirat"], ["mknod"] = ["mknodat"], ["rename"] = ["renameat", "renameat2"], ["link"] = ["linkat"],
        ["symlink"] = ["symlinkat"], ["chmod"] = ["fchmodat"], ["chown"] = ["fchownat"], ["lchown"] = ["fchownat"],
        ["fork"] = ["clone"], ["vfork"] = ["clone"], ["pipe"] = ["pipe2"], ["dup2"] = ["dup3"], ["poll"] = ["ppoll"],
        ["select"] = ["pselect6"], ["epoll_wait"] = ["epoll_pwait"], ["epoll_create"] = ["epoll_create1"],
        ["getdents"] = ["getdents64"], ["alarm"] = ["setitimer"], ["pause"] = ["ppoll"], ["utime"] = ["utimensat"],
        ["utimes"] = ["utimensat"], ["futimesat"] = ["utimensat"], ["signalfd"] = ["signalfd4"], ["eventfd"] = ["eventfd2"],
        ["inotify_init"] = ["inotify_init1"], ["getpgrp"] = ["getpgid"], ["time"] = ["clock_gettime"],
    };

    /// <summary>
    /// The names a 64-bit program on <paramref name="target"/> calls for <paramref name="name"/>; empty when the target has it.
    /// (Its compat ABI may have the old name, e.g. 32-bit ARM's open: that serves 32-bit programs only.)
    /// </summary>
    public static IReadOnlyList<string> For(string name, SeccompArch target)
    {
        if (SyscallTable.ExistsOn(name, target) || !Replacements.TryGetValue(name, out var to))
            return [];
        return to.Where(n => ExistsOnFamily(n, target)).ToList();
    }

    public static bool ExistsOnFamily(string name, SeccompArch primary) =>
        SyscallTable.ExistsOn(name, primary) || primary.SubArchitectures().Any(a => SyscallTable.ExistsOn(name, a));
}
