using Portcullis.Analyzer.Knowledge;
using Portcullis.Analyzer.Native;
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
    // Non-cancellable wrappers: their code is the syscall and an errno store. Cancellable ones (poll, accept, creat) reach
    // the cancellation machinery through the walk, so the set is not theirs alone.
    private static readonly string[] Wrappers =
    [
        "access", "unlink", "rename", "mkdir", "rmdir", "chmod", "chown", "lchown", "link", "symlink", "readlink",
        "renameat", "unlinkat", "mkdirat", "linkat", "symlinkat", "readlinkat", "vfork", "dup", "dup2", "epoll_create",
        "inotify_init", "inotify_init1", "utimensat",
    ];

    private static readonly Lazy<LibrarySummary> Libc = new(() =>
    {
        var path = new[] { "/lib/x86_64-linux-gnu/libc.so.6", "/usr/lib/x86_64-linux-gnu/libc.so.6" }.First(File.Exists);
        return LibrarySummary.Compute(path);
    });

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

    [Fact]
    public void Stat_goes_through_newfstatat_only()
    {
        // glibc 2.33+ (this machine's 2.36) routes stat/lstat through fstatat, which on x86_64 is newfstatat, never statx.
        var export = Libc.Value.Exports["stat"];
        var made = export.Syscalls.Keys.Select(n => SyscallTable.Name(n, SeccompArch.X86_64)).ToHashSet();
        Assert.Contains("newfstatat", made);
        Assert.DoesNotContain("statx", made);
        Assert.Equal(["newfstatat"], LibcSyscalls.For("stat")!);
    }
}
