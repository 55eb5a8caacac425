namespace Portcullis.Profiles.Generation;

/// <summary>
/// The proven runtime parts, one row per (runtime, version, no_new_privs). Found by deletion under the real
/// runtime on Debian 12 (x86-64) with a trivial entrypoint that only calls exit_group:
/// <c>dotnet tools/RuntimeBaseProbe/bin/Release/net10.0/RuntimeBaseProbe.dll runc --repeat 10</c> (and <c>crun</c>),
/// starting from <see cref="ContainerRuntimeBase.Names"/>, dropping one name at a time and keeping it if any of
/// the repetitions failed, for root (uid 0) and non-root (uid 65534). Greedy results differed between users and
/// between runs only in runc's flaky names (the Go scheduler's); each row is the union of both users and of the
/// runs, and the core (names whose removal always fails) is the same for root and 65534.
/// </summary>
public static class RuntimeBaseTable
{
    // `RuntimeBaseProbe runc --check --repeat 10` measures these rows: dropping one core name fails 10/10 runs, for
    // both users; dropping one flaky name alone fails 0/10 (they stand in for each other: it is dropping several
    // of them that sometimes kills runc), so the harness test asserts "needed" for the core names only.
    // runc 1.1.5, no_new_privs set: dropping any of these killed the container in every run, as root and as 65534.
    private static readonly string[] RuncNnpCore = ["close", "execve", "fstatfs", "getdents64", "openat", "write"];

    // runc 1.1.5 without no_new_privs, beyond RuncNnpCore: the same in every run for both users.
    private static readonly string[] RuncPrivilegedCore =
        ["capget", "capset", "chdir", "faccessat2", "fstat", "getcwd", "getppid", "newfstatat", "prctl", "read", "setgid", "setgroups", "setuid"];

    // Flaky under runc: the Go runtime's calls (some thread makes them, or not, after the filter is in), all of
    // that group since each probe run kept a different few and a greedy minimum from one run failed to start in
    // another, plus the names some runs kept (dup3, fchdir, setresgid, the uid/gid getters).
    private static readonly string[] RuncNnpFlaky =
    [
        "futex", "nanosleep", "epoll_pwait", "epoll_ctl", "sched_yield", "rt_sigreturn", "rt_sigprocmask", "rt_sigaction",
        "sigaltstack", "gettid", "getpid", "tgkill", "mmap", "munmap", "madvise", "mprotect", "brk", "arch_prctl", "set_tid_address", "exit",
        "dup3", "fchdir", "setresgid", "getuid", "geteuid",
    ];

    // Flaky without no_new_privs, beyond RuncNnpFlaky.
    private static readonly string[] RuncPrivilegedFlaky = ["getgid", "getegid", "fcntl"];

    public static IReadOnlyList<RuntimeBaseVariant> Rows { get; } =
    [
        // crun 1.8.1 installs the filter right before execve when no_new_privs is set.
        new("crun", "1.8.1", NoNewPrivileges: true, ["execve"], [], Proven: true),
        // Without no_new_privs it installs it before dropping capabilities and switching user (same for root and 65534).
        new("crun", "1.8.1", NoNewPrivileges: false,
            ["capset", "execve", "prctl", "rt_sigaction", "rt_sigprocmask", "setresgid", "setresuid", "write"], [], Proven: true),
        // runc 1.1.5 with no_new_privs: the exec fifo (openat, write, close) and the close-on-exec walk of /proc/self/fd
        // (openat, fstatfs, getdents64) run under the filter, and the Go runtime's threads now and then.
        new("runc", "1.1.5", NoNewPrivileges: true, [.. RuncNnpCore, .. RuncNnpFlaky], RuncNnpFlaky, Proven: true),
        // runc 1.1.5 without no_new_privs (Kubernetes' default): also the identity switch and the working directory.
        new("runc", "1.1.5", NoNewPrivileges: false, [.. RuncNnpCore, .. RuncPrivilegedCore, .. RuncNnpFlaky, .. RuncPrivilegedFlaky], [.. RuncNnpFlaky, .. RuncPrivilegedFlaky], Proven: true),
    ];
}
