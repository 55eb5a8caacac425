namespace Portcullis.Profiles.Generation;

/// <summary>
/// What every .NET 10 app needs from the kernel whatever it does: host and loader start-up, W^X double
/// mapping (memfd_create, ftruncate), membarrier for the GC, rseq, thread creation (clone3, and clone where
/// libc falls back), the GC suspending threads with signals (tgkill, rt_sigreturn), the diagnostics IPC
/// socket (socket, bind), cgroup and CPU limits (sched_getaffinity, statfs, sysinfo).
/// <para>Measured: `portcullis record --backend ptrace` of a console app that starts threads, allocates and
/// collects, as an apphost and as `dotnet app.dll`, with workstation and server GC (.NET 10.0 on Linux 6.x
/// x86_64): the union of those runs. Added by hand, each for a reason a run here cannot show: clone
/// (glibc's fallback when clone3 answers ENOSYS), fstatfs, uname and getcwd (other glibc versions), dup2 and kill
/// (libcoreclr imports both, for createdump and for signals; x86_64 glibc's dup2 is the dup2 syscall, so not dup3,
/// which ArchTranslation adds where dup2 does not exist), listen and accept4 (the diagnostics server's
/// thread listens on the socket start-up binds, after a short run may have exited: strace of a long-running
/// worker shows it; it accepts when a tool such as dotnet-monitor connects), sendto and recvfrom (its answers to
/// that tool: libcoreclr imports send and recv, which x86_64 glibc makes as sendto and recvfrom) and connect (with
/// DOTNET_DiagnosticPorts set the runtime connects to the tool instead, dotnet-monitor's connect mode).</para>
/// </summary>
public static class DotnetRuntimeBase
{
    public const string Measured = ".NET 10.0 runtime start-up, threads and GC";

    public static IReadOnlyList<string> Names { get; } =
    [
        "access", "arch_prctl", "bind", "brk", "clock_nanosleep", "clone3", "close", "execve", "exit", "exit_group", "fchmod", "fcntl",
        "fstat", "ftruncate", "futex", "get_mempolicy", "getdents64", "getpid", "getrandom", "getrusage", "getsid", "gettid", "ioctl",
        "madvise", "membarrier", "memfd_create", "mknodat", "mmap", "mprotect", "munmap", "newfstatat", "openat", "pipe2", "poll", "prctl",
        "pread64", "prlimit64", "read", "readlink", "rseq", "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "sched_get_priority_max",
        "sched_get_priority_min", "sched_getaffinity", "sched_getparam", "sched_getscheduler", "sched_setaffinity", "sched_setscheduler",
        "sched_yield", "set_robust_list", "set_tid_address", "sigaltstack", "socket", "stat", "statfs", "sysinfo", "tgkill", "unlink", "write",
        // added by hand, see above
        "clone", "fstatfs", "uname", "getcwd", "dup2", "kill", "listen", "accept4", "sendto", "recvfrom", "connect",
    ];

    public static IEnumerable<SyscallEvidence> Evidence => Names.Select(n => new SyscallEvidence(n, SourceKind.DotnetRuntime, Measured));
}
