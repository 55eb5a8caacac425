namespace Portcullis.Analyzer.Knowledge;

/// <summary>
/// libc functions and the x86_64 syscalls glibc makes for them, for P/Invokes into libc and for the imports
/// of native libraries an app ships (e.g. libe_sqlite3.so). Written from glibc's implementations and
/// checked against the knowledge base's probes where one covers the function; an honest over-approximation:
/// where glibc may use one of several syscalls (stat via newfstatat or statx), all are listed. Functions not
/// listed make no syscall (string, math, memory functions) or are covered by the runtime base (malloc).
/// </summary>
public static class LibcSyscalls
{
    private static readonly Dictionary<string, string[]> Table = new(StringComparer.Ordinal)
    {
        ["open"] = ["openat"], ["open64"] = ["openat"], ["openat"] = ["openat"], ["openat64"] = ["openat"], ["creat"] = ["openat"], ["fopen"] = ["openat"], ["fopen64"] = ["openat"], ["fdopen"] = ["fcntl"],
        ["close"] = ["close"], ["fclose"] = ["close"], ["read"] = ["read"], ["fread"] = ["read"], ["write"] = ["write"], ["fwrite"] = ["write"], ["fflush"] = ["write"],
        ["pread"] = ["pread64"], ["pread64"] = ["pread64"], ["pwrite"] = ["pwrite64"], ["pwrite64"] = ["pwrite64"], ["readv"] = ["readv"], ["writev"] = ["writev"],
        ["lseek"] = ["lseek"], ["lseek64"] = ["lseek"], ["fseek"] = ["lseek"], ["ftell"] = ["lseek"],
        ["stat"] = ["newfstatat", "statx"], ["stat64"] = ["newfstatat", "statx"], ["lstat"] = ["newfstatat", "statx"], ["lstat64"] = ["newfstatat", "statx"],
        ["fstat"] = ["fstat", "newfstatat"], ["fstat64"] = ["fstat", "newfstatat"], ["fstatat"] = ["newfstatat"], ["fstatat64"] = ["newfstatat"], ["statx"] = ["statx"],
        ["__xstat"] = ["newfstatat"], ["__xstat64"] = ["newfstatat"], ["__lxstat"] = ["newfstatat"], ["__lxstat64"] = ["newfstatat"], ["__fxstat"] = ["fstat"], ["__fxstat64"] = ["fstat"],
        ["access"] = ["access", "faccessat", "faccessat2"], ["faccessat"] = ["faccessat", "faccessat2"],
        ["fsync"] = ["fsync"], ["fdatasync"] = ["fdatasync"], ["sync"] = ["sync"], ["ftruncate"] = ["ftruncate"], ["ftruncate64"] = ["ftruncate"], ["truncate"] = ["truncate"],
        ["fallocate"] = ["fallocate"], ["fallocate64"] = ["fallocate"], ["posix_fallocate"] = ["fallocate"], ["posix_fallocate64"] = ["fallocate"],
        ["fcntl"] = ["fcntl"], ["fcntl64"] = ["fcntl"], ["flock"] = ["flock"], ["lockf"] = ["fcntl"], ["ioctl"] = ["ioctl"],
        ["unlink"] = ["unlink", "unlinkat"], ["unlinkat"] = ["unlinkat"], ["remove"] = ["unlink", "rmdir"], ["rmdir"] = ["rmdir"], ["rename"] = ["rename", "renameat", "renameat2"],
        ["mkdir"] = ["mkdir", "mkdirat"], ["chmod"] = ["chmod", "fchmodat"], ["fchmod"] = ["fchmod"], ["chown"] = ["chown", "fchownat"], ["fchown"] = ["fchown"],
        ["link"] = ["link", "linkat"], ["symlink"] = ["symlink", "symlinkat"], ["readlink"] = ["readlink", "readlinkat"], ["realpath"] = ["readlink", "newfstatat", "getcwd"],
        ["getcwd"] = ["getcwd"], ["chdir"] = ["chdir"], ["opendir"] = ["openat", "fstat"], ["readdir"] = ["getdents64"], ["readdir64"] = ["getdents64"], ["closedir"] = ["close"],
        ["utime"] = ["utimensat"], ["utimes"] = ["utimensat"], ["futimens"] = ["utimensat"], ["utimensat"] = ["utimensat"],
        ["mmap"] = ["mmap"], ["mmap64"] = ["mmap"], ["munmap"] = ["munmap"], ["mremap"] = ["mremap"], ["mprotect"] = ["mprotect"], ["madvise"] = ["madvise"], ["msync"] = ["msync"],
        ["posix_madvise"] = ["madvise"], ["mlock"] = ["mlock"], ["munlock"] = ["munlock"],
        ["dlopen"] = ["openat", "read", "fstat", "mmap", "mprotect", "munmap", "close"], ["dlsym"] = [], ["dlerror"] = [],
        ["pthread_create"] = ["clone3", "clone", "mmap", "mprotect", "rt_sigprocmask"], ["pthread_join"] = ["futex"], ["pthread_mutex_lock"] = ["futex"],
        ["pthread_cond_wait"] = ["futex"], ["pthread_cond_timedwait"] = ["futex"], ["pthread_cond_signal"] = ["futex"], ["pthread_cond_broadcast"] = ["futex"],
        ["sleep"] = ["clock_nanosleep"], ["usleep"] = ["clock_nanosleep"], ["nanosleep"] = ["clock_nanosleep", "nanosleep"], ["clock_nanosleep"] = ["clock_nanosleep"],
        ["time"] = ["time"], ["gettimeofday"] = ["gettimeofday"], ["clock_gettime"] = ["clock_gettime"], ["localtime"] = ["openat", "read", "fstat", "close"],
        ["localtime_r"] = ["openat", "read", "fstat", "close"], ["tzset"] = ["openat", "read", "fstat", "close"],
        ["getpid"] = ["getpid"], ["getppid"] = ["getppid"], ["getuid"] = ["getuid"], ["geteuid"] = ["geteuid"], ["getgid"] = ["getgid"], ["getegid"] = ["getegid"],
        ["uname"] = ["uname"], ["sysconf"] = ["sched_getaffinity", "sysinfo", "openat", "read", "close"], ["getrlimit"] = ["prlimit64"], ["setrlimit"] = ["prlimit64"],
        ["getrandom"] = ["getrandom"], ["getentropy"] = ["getrandom"], ["getenv"] = [], ["secure_getenv"] = [],
        ["getpwuid"] = ["openat", "read", "fstat", "close", "socket", "connect"], ["getpwuid_r"] = ["openat", "read", "fstat", "close", "socket", "connect"],
        ["getpwnam"] = ["openat", "read", "fstat", "close", "socket", "connect"], ["getpwnam_r"] = ["openat", "read", "fstat", "close", "socket", "connect"],
        ["fork"] = ["clone", "clone3"], ["vfork"] = ["vfork", "clone"], ["execve"] = ["execve"], ["execv"] = ["execve"], ["execvp"] = ["execve"], ["posix_spawn"] = ["clone", "clone3", "vfork", "execve"],
        ["system"] = ["clone", "clone3", "execve", "wait4", "rt_sigaction", "rt_sigprocmask"], ["popen"] = ["pipe2", "clone", "clone3", "execve"], ["pclose"] = ["wait4"],
        ["waitpid"] = ["wait4"], ["wait"] = ["wait4"], ["kill"] = ["kill"], ["raise"] = ["tgkill", "rt_sigprocmask"], ["abort"] = ["tgkill", "rt_sigprocmask", "rt_sigaction"],
        ["signal"] = ["rt_sigaction"], ["sigaction"] = ["rt_sigaction"], ["sigprocmask"] = ["rt_sigprocmask"], ["pthread_sigmask"] = ["rt_sigprocmask"], ["exit"] = ["exit_group"], ["_exit"] = ["exit_group"],
        ["pipe"] = ["pipe", "pipe2"], ["pipe2"] = ["pipe2"], ["dup"] = ["dup"], ["dup2"] = ["dup2", "dup3"], ["dup3"] = ["dup3"],
        ["poll"] = ["poll", "ppoll"], ["select"] = ["select", "pselect6"], ["epoll_create"] = ["epoll_create", "epoll_create1"], ["epoll_create1"] = ["epoll_create1"],
        ["epoll_ctl"] = ["epoll_ctl"], ["epoll_wait"] = ["epoll_wait", "epoll_pwait"], ["eventfd"] = ["eventfd2"], ["inotify_init"] = ["inotify_init1"], ["inotify_init1"] = ["inotify_init1"],
        ["inotify_add_watch"] = ["inotify_add_watch"], ["inotify_rm_watch"] = ["inotify_rm_watch"],
        ["socket"] = ["socket"], ["socketpair"] = ["socketpair"], ["connect"] = ["connect"], ["bind"] = ["bind"], ["listen"] = ["listen"], ["accept"] = ["accept", "accept4"], ["accept4"] = ["accept4"],
        ["send"] = ["sendto"], ["sendto"] = ["sendto"], ["sendmsg"] = ["sendmsg"], ["recv"] = ["recvfrom"], ["recvfrom"] = ["recvfrom"], ["recvmsg"] = ["recvmsg"],
        ["shutdown"] = ["shutdown"], ["setsockopt"] = ["setsockopt"], ["getsockopt"] = ["getsockopt"], ["getsockname"] = ["getsockname"], ["getpeername"] = ["getpeername"],
        ["getaddrinfo"] = ["socket", "connect", "sendto", "sendmmsg", "recvfrom", "poll", "openat", "read", "close", "fstat", "uname", "ioctl", "bind", "getsockname"],
        ["gethostbyname"] = ["socket", "connect", "sendto", "sendmmsg", "recvfrom", "poll", "openat", "read", "close", "fstat", "uname"],
        ["sched_yield"] = ["sched_yield"], ["sched_getaffinity"] = ["sched_getaffinity"], ["prctl"] = ["prctl"], ["sysinfo"] = ["sysinfo"], ["statfs"] = ["statfs"], ["fstatfs"] = ["fstatfs"],
        ["statvfs"] = ["statfs"], ["fstatvfs"] = ["fstatfs"], ["syscall"] = [], ["getrusage"] = ["getrusage"], ["times"] = ["times"], ["umask"] = ["umask"],
    };

    /// <summary>The syscalls of <paramref name="function"/>, or null when the table does not know it.</summary>
    public static IReadOnlyList<string>? For(string function) =>
        Table.TryGetValue(function, out var names) ? names : null;
}
