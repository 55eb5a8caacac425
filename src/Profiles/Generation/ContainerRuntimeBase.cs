namespace Portcullis.Profiles.Generation;

/// <summary>
/// The syscalls an OCI runtime makes between installing the container's seccomp filter and exec'ing the
/// entrypoint: a profile must allow them or the container dies before the application starts.
/// <para>runc loads the filter before it drops privileges unless no_new_privs is set (Kubernetes'
/// default allowPrivilegeEscalation: true leaves it unset), so its identity switch (capset, setgroups,
/// setres[ug]id, prctl), the working directory, the exec fifo (openat, write, close), the lookup of the
/// entrypoint (newfstatat, statx, faccessat2) and the Go runtime's background calls (futex, nanosleep,
/// epoll_pwait, signals, mmap) all run under it. crun, a C program, loads it later and needs a subset.</para>
/// <para>Known to cover: runc 1.1.5 and crun 1.8.1 (Debian 12; each proven by running a generated profile
/// in them, see the harness tests), and the names of the Security Profiles Operator's base profiles for
/// runc 1.4.2 and crun 1.26 (newer runc opens procfs through openat2 and reads its sync pipe with
/// recvfrom after the filter is loaded).</para>
/// Names that do not exist on an architecture are dropped for that architecture.
/// </summary>
public static class ContainerRuntimeBase
{
    /// <summary>The runtimes <see cref="Names"/> is meant to cover (unproven beyond the rows of <see cref="RuntimeBaseTable"/>).</summary>
    public const string Versions = "runc 1.1.5-1.4.2, crun 1.8.1-1.26";

    /// <summary>
    /// The runtime part for one runtime version and no_new_privs: the proven minimal set from
    /// <see cref="RuntimeBaseTable"/> when that version was probed (a distribution suffix such as "+ds1" is ignored),
    /// otherwise the portable union <see cref="Names"/>, marked unproven.
    /// </summary>
    public static RuntimeBaseVariant For(string runtime, string version, bool noNewPrivileges)
    {
        var plain = version.Split('+', '~', '-')[0].Trim();
        return RuntimeBaseTable.Rows.FirstOrDefault(r =>
                string.Equals(r.Runtime, runtime, StringComparison.OrdinalIgnoreCase) && r.Version == plain && r.NoNewPrivileges == noNewPrivileges)
            ?? new RuntimeBaseVariant(runtime, version, noNewPrivileges, Names, [], Proven: false);
    }

    /// <summary>
    /// <see cref="For"/> for a runtime named as "runc/1.1.5" (an option), "runc-1.1.5" (a label value) or "runc 1.1.5";
    /// null when the text does not name a runtime and a version.
    /// </summary>
    public static RuntimeBaseVariant? ForName(string? text, bool noNewPrivileges)
    {
        var parts = (text ?? "").Trim().Split(['/', '-', ' '], 2, StringSplitOptions.TrimEntries);
        if (parts is not [{ Length: > 0 } runtime, { Length: > 0 } version] || !runtime.All(char.IsAsciiLetterOrDigit) || !char.IsAsciiDigit(version[0]))
            return null;
        return For(runtime, version, noNewPrivileges);
    }

    public static IReadOnlyList<string> Names { get; } =
    [
        // Go runtime (runc) and process exit
        "futex", "nanosleep", "epoll_pwait", "epoll_ctl", "sched_yield", "rt_sigreturn", "rt_sigprocmask", "rt_sigaction",
        "sigaltstack", "gettid", "getpid", "tgkill", "mmap", "munmap", "madvise", "mprotect", "brk", "arch_prctl", "set_tid_address",
        "read", "write", "recvfrom", "exit", "exit_group",
        // identity and capabilities
        "capget", "capset", "prctl", "setgroups", "setresuid", "setresgid", "setuid", "setgid", "getuid", "getgid", "geteuid", "getegid", "getppid",
        // working directory and descriptors; runc checks /proc/self/fd is procfs and walks it to mark fds close-on-exec
        "chdir", "fchdir", "getcwd", "close", "close_range", "fcntl", "dup2", "dup3", "fstatfs", "getdents64",
        // exec fifo, entrypoint lookup, exec
        "openat", "openat2", "fstat", "newfstatat", "statx", "faccessat2", "execve",
    ];
}
