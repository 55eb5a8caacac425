using Portcullis.Analyzer.Knowledge;
using Portcullis.Analyzer.Native;
using Portcullis.Analyzer.Passes;
using Portcullis.Profiles.Seccomp;
using Portcullis.Profiles.Syscalls;

namespace Portcullis.Analyzer.Tests;

/// <summary>
/// The libc table against this machine's own glibc, read by the analyzer's code walker: for the functions that are one
/// syscall's wrapper on x86_64 (no cancellation point, no call out), the table names exactly what the code makes.
/// Wider would allow what the app never makes (access is the access syscall, never faccessat); narrower would break it.
/// </summary>
public sealed class LibcTableTests
{
    // Non-cancellable wrappers: their code is the syscall and an errno store (stat and lstat go through fstatat, on x86_64
    // newfstatat, never statx). Cancellable ones (poll, accept, creat) reach the cancellation machinery through the walk,
    // so the set is not theirs alone.
    private static readonly string[] Wrappers =
    [
        "stat", "lstat", "access", "unlink", "rename", "mkdir", "rmdir", "chmod", "chown", "lchown", "link", "symlink", "readlink",
        "renameat", "unlinkat", "mkdirat", "linkat", "symlinkat", "readlinkat", "vfork", "dup", "dup2", "epoll_create",
        "inotify_init", "inotify_init1", "utimensat",
    ];

    // The libc analysis itself finds, read fresh (not through the user's summary cache).
    private static readonly Lazy<LibrarySummary> Libc = new(() => LibrarySummary.Compute(NativeSide.FindSystemLibrary("libc.so.6") ?? throw new FileNotFoundException("no libc.so.6 where analysis looks")));

    public static TheoryData<string> WrapperNames => [.. Wrappers];

    [Theory]
    [MemberData(nameof(WrapperNames))]
    public void A_single_syscall_wrapper_maps_to_exactly_what_glibc_makes(string function)
    {
        var export = Libc.Value.Exports[function];
        Assert.False(export.UnresolvedIndirect, function + " calls through a pointer: not a plain wrapper");
        Assert.Empty(export.Imports);
        var made = export.Syscalls.Keys.Select(n => SyscallTable.Name(n, SeccompArch.X86_64) ?? "#" + n).Order(StringComparer.Ordinal);
        Assert.Equal(made, LibcSyscalls.For(function)!.Order(StringComparer.Ordinal));
    }
}
