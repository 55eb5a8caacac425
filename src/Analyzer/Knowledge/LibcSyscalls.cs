namespace Portcullis.Analyzer.Knowledge;

/// <summary>
/// libc functions and the x86_64 syscalls glibc makes for them: what a native export reaches through the PLT
/// (libSystem.Native's, an app's libe_sqlite3.so) and what a P/Invoke into libc makes. Written from glibc's
/// implementations, read off the x86_64 code of glibc 2.31, 2.36 and 2.41 (Debian 11–13), checked against measurement
/// (the probe cross-check tests) and against this machine's libc (LibcTableTests). x86_64 glibc keeps the old calls
/// (access is the access syscall, never faccessat; rename never renameat2), so a wrapper maps to its own syscall;
/// where glibc versions differ (select: select before 2.33, pselect6 after; pipe, fstat, mknod, utime) each version's
/// is listed, since the image's glibc is not the one analysed. <see cref="NoSyscall"/> holds the functions that make
/// none beyond the .NET runtime's measured start-up set (string, math, locks without contention, the allocator); a
/// function in neither is unknown, and analysis says so instead of guessing.
/// </summary>
public static class LibcSyscalls
{
    // Name-service lookups read nsswitch.conf and files, or ask nscd or systemd over a Unix socket. Declared before Table, which uses it.
    private static readonly string[] Nss = ["openat", "read", "fstat", "close", "socket", "connect"];

    // A resolver query: a UDP (or TCP) exchange with the name servers of resolv.conf.
    private static readonly string[] Dns = ["socket", "connect", "sendto", "sendmmsg", "recvfrom", "poll", "setsockopt", "close", "openat", "read", "fstat"];

    private static readonly Dictionary<string, string[]> Table = new(StringComparer.Ordinal)
    {
        ["open"] = ["openat"], ["open64"] = ["openat"], ["openat"] = ["openat"], ["openat64"] = ["openat"], ["creat"] = ["creat"], ["fopen"] = ["openat"], ["fopen64"] = ["openat"], ["fdopen"] = ["fcntl"],
        ["close"] = ["close"], ["fclose"] = ["close"], ["read"] = ["read"], ["fread"] = ["read"], ["write"] = ["write"], ["fwrite"] = ["write"], ["fflush"] = ["write"],
        ["pread"] = ["pread64"], ["pread64"] = ["pread64"], ["pwrite"] = ["pwrite64"], ["pwrite64"] = ["pwrite64"], ["readv"] = ["readv"], ["writev"] = ["writev"],
        ["lseek"] = ["lseek"], ["lseek64"] = ["lseek"], ["fseek"] = ["lseek"], ["ftell"] = ["lseek"],
        ["stat"] = ["newfstatat"], ["stat64"] = ["newfstatat"], ["lstat"] = ["newfstatat"], ["lstat64"] = ["newfstatat"],
        ["fstat"] = ["fstat", "newfstatat"], ["fstat64"] = ["fstat", "newfstatat"], ["fstatat"] = ["newfstatat"], ["fstatat64"] = ["newfstatat"], ["statx"] = ["statx"],
        // The compatibility entry points binaries built against older glibc import: on x86_64 they make the old syscalls directly.
        ["__xstat"] = ["stat"], ["__xstat64"] = ["stat"], ["__lxstat"] = ["lstat"], ["__lxstat64"] = ["lstat"],
        ["__fxstat"] = ["fstat"], ["__fxstat64"] = ["fstat"], ["__fxstatat"] = ["newfstatat"], ["__fxstatat64"] = ["newfstatat"],
        ["access"] = ["access"], ["faccessat"] = ["faccessat", "faccessat2"],
        ["fsync"] = ["fsync"], ["fdatasync"] = ["fdatasync"], ["sync"] = ["sync"], ["ftruncate"] = ["ftruncate"], ["ftruncate64"] = ["ftruncate"], ["truncate"] = ["truncate"],
        ["fallocate"] = ["fallocate"], ["fallocate64"] = ["fallocate"], ["posix_fallocate"] = ["fallocate"], ["posix_fallocate64"] = ["fallocate"],
        ["fcntl"] = ["fcntl"], ["fcntl64"] = ["fcntl"], ["flock"] = ["flock"], ["lockf"] = ["fcntl"], ["ioctl"] = ["ioctl"],
        ["unlink"] = ["unlink"], ["unlinkat"] = ["unlinkat"], ["remove"] = ["unlink", "rmdir"], ["rmdir"] = ["rmdir"], ["rename"] = ["rename"],
        ["mkdir"] = ["mkdir"], ["chmod"] = ["chmod"], ["fchmod"] = ["fchmod"], ["chown"] = ["chown"], ["fchown"] = ["fchown"],
        ["link"] = ["link"], ["symlink"] = ["symlink"], ["readlink"] = ["readlink"], ["realpath"] = ["readlink", "newfstatat", "getcwd"],
        ["getcwd"] = ["getcwd"], ["chdir"] = ["chdir"], ["opendir"] = ["openat", "fstat"], ["readdir"] = ["getdents64"], ["readdir64"] = ["getdents64"], ["closedir"] = ["close"],
        ["utime"] = ["utime", "utimensat"], ["utimes"] = ["utimes", "utimensat"], ["futimens"] = ["utimensat"], ["utimensat"] = ["utimensat"],
        ["mmap"] = ["mmap"], ["mmap64"] = ["mmap"], ["munmap"] = ["munmap"], ["mremap"] = ["mremap"], ["mprotect"] = ["mprotect"], ["madvise"] = ["madvise"], ["msync"] = ["msync"],
        ["posix_madvise"] = ["madvise"], ["mlock"] = ["mlock"], ["munlock"] = ["munlock"],
        ["dlopen"] = ["openat", "read", "fstat", "mmap", "mprotect", "munmap", "close"], ["dlsym"] = [], ["dlerror"] = [],
        ["pthread_create"] = ["clone3", "clone", "mmap", "mprotect", "rt_sigprocmask"], ["pthread_join"] = ["futex"], ["pthread_mutex_lock"] = ["futex"],
        ["pthread_cond_wait"] = ["futex"], ["pthread_cond_timedwait"] = ["futex"], ["pthread_cond_signal"] = ["futex"], ["pthread_cond_broadcast"] = ["futex"],
        ["sleep"] = ["clock_nanosleep"], ["usleep"] = ["clock_nanosleep"], ["nanosleep"] = ["clock_nanosleep"], ["clock_nanosleep"] = ["clock_nanosleep"],
        ["time"] = ["time"], ["gettimeofday"] = ["gettimeofday"], ["clock_gettime"] = ["clock_gettime"], ["localtime"] = ["openat", "read", "fstat", "close"],
        ["localtime_r"] = ["openat", "read", "fstat", "close"], ["tzset"] = ["openat", "read", "fstat", "close"],
        ["getpid"] = ["getpid"], ["getppid"] = ["getppid"], ["getuid"] = ["getuid"], ["geteuid"] = ["geteuid"], ["getgid"] = ["getgid"], ["getegid"] = ["getegid"],
        ["uname"] = ["uname"], ["sysconf"] = ["sched_getaffinity", "sysinfo", "openat", "read", "close"], ["getrlimit"] = ["prlimit64"], ["setrlimit"] = ["prlimit64"],
        ["getrandom"] = ["getrandom"], ["getentropy"] = ["getrandom"], ["getenv"] = [], ["secure_getenv"] = [],
        ["getpwuid"] = ["openat", "read", "fstat", "close", "socket", "connect"], ["getpwuid_r"] = ["openat", "read", "fstat", "close", "socket", "connect"],
        ["getpwnam"] = ["openat", "read", "fstat", "close", "socket", "connect"], ["getpwnam_r"] = ["openat", "read", "fstat", "close", "socket", "connect"],
        ["fork"] = ["clone", "set_robust_list"], ["vfork"] = ["vfork"], ["execve"] = ["execve"], ["execv"] = ["execve"], ["execvp"] = ["execve"], ["posix_spawn"] = ["clone", "clone3", "vfork", "execve"],
        ["system"] = ["clone", "clone3", "execve", "wait4", "rt_sigaction", "rt_sigprocmask"], ["popen"] = ["pipe2", "clone", "clone3", "execve"], ["pclose"] = ["wait4"],
        ["waitpid"] = ["wait4"], ["wait"] = ["wait4"], ["kill"] = ["kill"], ["raise"] = ["tgkill", "gettid", "rt_sigprocmask"], ["abort"] = ["tgkill", "rt_sigprocmask", "rt_sigaction"],
        ["signal"] = ["rt_sigaction"], ["sigaction"] = ["rt_sigaction"], ["sigprocmask"] = ["rt_sigprocmask"], ["pthread_sigmask"] = ["rt_sigprocmask"], ["exit"] = ["exit_group"], ["_exit"] = ["exit_group"],
        ["pipe"] = ["pipe", "pipe2"], ["pipe2"] = ["pipe2"], ["dup"] = ["dup"], ["dup2"] = ["dup2"], ["dup3"] = ["dup3"],
        ["poll"] = ["poll"], ["select"] = ["select", "pselect6"], ["epoll_create"] = ["epoll_create"], ["epoll_create1"] = ["epoll_create1"],
        ["epoll_ctl"] = ["epoll_ctl"], ["epoll_wait"] = ["epoll_wait"], ["eventfd"] = ["eventfd2"], ["inotify_init"] = ["inotify_init"], ["inotify_init1"] = ["inotify_init1"],
        ["inotify_add_watch"] = ["inotify_add_watch"], ["inotify_rm_watch"] = ["inotify_rm_watch"],
        ["socket"] = ["socket"], ["socketpair"] = ["socketpair"], ["connect"] = ["connect"], ["bind"] = ["bind"], ["listen"] = ["listen"], ["accept"] = ["accept"], ["accept4"] = ["accept4"],
        ["send"] = ["sendto"], ["sendto"] = ["sendto"], ["sendmsg"] = ["sendmsg"], ["recv"] = ["recvfrom"], ["recvfrom"] = ["recvfrom"], ["recvmsg"] = ["recvmsg"],
        ["shutdown"] = ["shutdown"], ["setsockopt"] = ["setsockopt"], ["getsockopt"] = ["getsockopt"], ["getsockname"] = ["getsockname"], ["getpeername"] = ["getpeername"],
        ["getaddrinfo"] = ["socket", "connect", "sendto", "sendmmsg", "recvfrom", "poll", "openat", "read", "close", "fstat", "uname", "ioctl", "bind", "getsockname", "setsockopt"],
        ["gethostbyname"] = ["socket", "connect", "sendto", "sendmmsg", "recvfrom", "poll", "openat", "read", "close", "fstat", "uname", "setsockopt"],
        ["sched_yield"] = ["sched_yield"], ["sched_getaffinity"] = ["sched_getaffinity"], ["prctl"] = ["prctl"], ["sysinfo"] = ["sysinfo"], ["statfs"] = ["statfs"], ["fstatfs"] = ["fstatfs"],
        ["statvfs"] = ["statfs"], ["fstatvfs"] = ["fstatfs"], ["syscall"] = [], ["getrusage"] = ["getrusage"], ["times"] = ["times"], ["umask"] = ["umask"],

        // What libSystem.Native, libSystem.Net.Security.Native and the OpenSSL shim import besides the above.
        ["__xmknod"] = ["mknod", "mknodat"], ["__xmknodat"] = ["mknodat"], ["mknod"] = ["mknodat", "mknod"], ["mkfifo"] = ["mknodat", "mknod"],
        ["setmntent"] = ["openat", "fcntl"], ["getmntent_r"] = ["read", "fstat"], ["endmntent"] = ["close"],
        ["statfs64"] = ["statfs"], ["fstatfs64"] = ["fstatfs"], ["pathconf"] = ["statfs"], ["fpathconf"] = ["fstatfs"],
        ["getdomainname"] = ["uname"], ["gethostname"] = ["uname"], ["getgroups"] = ["getgroups"], ["getsid"] = ["getsid"],
        ["getgrgid_r"] = Nss, ["getgrnam_r"] = Nss, ["getgrouplist"] = Nss, ["getpwent"] = Nss,
        ["getifaddrs"] = ["socket", "bind", "sendto", "recvmsg", "getsockname", "close"],
        ["if_nametoindex"] = ["socket", "ioctl", "close"], ["if_indextoname"] = ["socket", "ioctl", "close"],
        ["getnameinfo"] = ["socket", "connect", "sendto", "recvfrom", "poll", "openat", "read", "close", "fstat", "uname", "setsockopt"],
        ["getpriority"] = ["getpriority"], ["setpriority"] = ["setpriority"], ["getrlimit64"] = ["prlimit64"], ["setrlimit64"] = ["prlimit64"], ["prlimit"] = ["prlimit64"],
        ["isatty"] = ["ioctl"], ["tcgetattr"] = ["ioctl"], ["tcsetattr"] = ["ioctl"], ["ttyname_r"] = ["readlink", "newfstatat", "ioctl"],
        ["mkdtemp"] = ["mkdir", "getrandom"], ["mkstemp"] = ["openat", "getrandom"], ["mkstemps"] = ["openat", "getrandom"], ["mkstemps64"] = ["openat", "getrandom"],
        ["posix_fadvise"] = ["fadvise64"], ["posix_fadvise64"] = ["fadvise64"], ["preadv"] = ["preadv"], ["preadv64"] = ["preadv"], ["pwritev"] = ["pwritev"], ["pwritev64"] = ["pwritev"],
        ["pthread_once"] = ["futex"], ["pthread_mutex_unlock"] = ["futex"], ["pthread_setname_np"] = ["prctl", "openat", "write", "close"],
        ["sched_getcpu"] = ["getcpu"], ["sched_setaffinity"] = ["sched_setaffinity"], ["sendfile"] = ["sendfile"], ["sendfile64"] = ["sendfile"],
        // glibc changes the ids of every thread: the calling one makes the syscall, the others are signalled to.
        ["seteuid"] = ["setresuid", "tgkill", "rt_sigprocmask"], ["setegid"] = ["setresgid", "tgkill", "rt_sigprocmask"],
        ["setuid"] = ["setuid", "tgkill", "rt_sigprocmask"], ["setgid"] = ["setgid", "tgkill", "rt_sigprocmask"], ["setgroups"] = ["setgroups", "tgkill", "rt_sigprocmask"],
        ["shm_open"] = ["openat"], ["shm_unlink"] = ["unlink"], ["syslog"] = ["socket", "connect", "sendto", "close", "getpid"], ["openlog"] = ["socket", "connect"],
        ["waitid"] = ["waitid"], ["mktime"] = ["openat", "read", "fstat", "close"], ["dlclose"] = ["munmap"], ["fprintf"] = ["write"], ["printf"] = ["write"], ["puts"] = ["write"],
        ["fputs"] = ["write"], ["fgets"] = ["read"], ["getline"] = ["read"], ["getdelim"] = ["read"], ["ferror"] = [], ["feof"] = [],
        ["pselect"] = ["pselect6"], ["ppoll"] = ["ppoll"], ["epoll_pwait"] = ["epoll_pwait"], ["timerfd_create"] = ["timerfd_create"],
        ["copy_file_range"] = ["copy_file_range"], ["getxattr"] = ["getxattr"], ["setxattr"] = ["setxattr"], ["listxattr"] = ["listxattr"], ["removexattr"] = ["removexattr"],
        ["fgetxattr"] = ["fgetxattr"], ["fsetxattr"] = ["fsetxattr"], ["flistxattr"] = ["flistxattr"], ["fremovexattr"] = ["fremovexattr"],
        ["lgetxattr"] = ["lgetxattr"], ["lsetxattr"] = ["lsetxattr"], ["llistxattr"] = ["llistxattr"], ["lremovexattr"] = ["lremovexattr"],
        ["lchown"] = ["lchown"], ["lutimes"] = ["utimensat"], ["futimes"] = ["utimensat"], ["linkat"] = ["linkat"], ["symlinkat"] = ["symlinkat"], ["renameat"] = ["renameat"],
        ["renameat2"] = ["renameat2"], ["mkdirat"] = ["mkdirat"], ["readlinkat"] = ["readlinkat"], ["fchmodat"] = ["fchmodat", "fchmodat2", "openat", "newfstatat", "chmod", "close"], ["fchownat"] = ["fchownat"], ["fdopendir"] = ["fcntl", "fstat"],
        ["setsid"] = ["setsid"], ["setpgid"] = ["setpgid"], ["getpgid"] = ["getpgid"], ["tcsetpgrp"] = ["ioctl"], ["tcgetpgrp"] = ["ioctl"],
        ["sigaltstack"] = ["sigaltstack"], ["sigsuspend"] = ["rt_sigsuspend"], ["sigwait"] = ["rt_sigtimedwait"], ["sigqueue"] = ["rt_sigqueueinfo"], ["killpg"] = ["kill"],
        ["pthread_kill"] = ["tgkill"], ["pthread_detach"] = [], ["pthread_getattr_np"] = ["openat", "read", "close", "prlimit64"],
        ["sendmmsg"] = ["sendmmsg"], ["recvmmsg"] = ["recvmmsg"],
        ["mincore"] = ["mincore"], ["memfd_create"] = ["memfd_create"], ["getcpu"] = ["getcpu"], ["sched_setscheduler"] = ["sched_setscheduler"], ["sched_getparam"] = ["sched_getparam"],
        ["getloadavg"] = ["openat", "read", "close"], ["get_nprocs"] = ["openat", "read", "close", "sched_getaffinity"], ["get_nprocs_conf"] = ["openat", "getdents64", "close"],
        ["getauxval"] = [], ["getpagesize"] = [], ["arc4random"] = ["getrandom"], ["arc4random_buf"] = ["getrandom"],
        ["fileno"] = [], ["setvbuf"] = [], ["fputc"] = ["write"], ["putc"] = ["write"], ["fgetc"] = ["read"], ["getc"] = ["read"], ["ungetc"] = [], ["rewind"] = ["lseek"],
        ["fseeko"] = ["lseek"], ["fseeko64"] = ["lseek"], ["ftello"] = ["lseek"], ["ftello64"] = ["lseek"], ["freopen"] = ["openat", "close", "dup3"], ["tmpfile"] = ["openat", "unlink", "getrandom"],
        // What the libraries the framework opens (libssl and libcrypto, libicu, libgssapi_krb5 and libkrb5, libresolv) import besides.
        ["__syslog_chk"] = ["socket", "connect", "sendto", "close", "getpid"], ["closelog"] = ["close"], ["perror"] = ["write"], ["putchar"] = ["write"],
        ["getcontext"] = ["rt_sigprocmask"], ["setcontext"] = ["rt_sigprocmask"], ["swapcontext"] = ["rt_sigprocmask"],
        ["shmat"] = ["shmat"], ["shmdt"] = ["shmdt"], ["shmget"] = ["shmget"], ["shmctl"] = ["shmctl"],
        ["__poll_chk"] = ["poll"], ["dcgettext"] = ["openat", "read", "fstat", "mmap", "munmap", "close"], ["dcngettext"] = ["openat", "read", "fstat", "mmap", "munmap", "close"],
        ["strftime"] = ["openat", "read", "fstat", "close"], ["getservbyname"] = Nss, ["getservbyname_r"] = Nss,
        ["__res_ninit"] = ["openat", "read", "fstat", "close"], ["__resolv_context_get"] = ["openat", "read", "fstat", "close"], ["__resolv_context_get_override"] = ["openat", "read", "fstat", "close"],
        ["__res_context_hostalias"] = ["openat", "read", "close"], ["__res_nclose"] = ["close"], ["__res_iclose"] = ["close"],
        ["res_nsearch"] = Dns, ["res_nquery"] = Dns, ["res_search"] = Dns, ["res_query"] = Dns, ["__res_context_query"] = Dns, ["__res_context_search"] = Dns,
        ["opendir64"] = ["openat", "fstat"], ["scandir"] = ["openat", "getdents64", "close"], ["nftw"] = ["openat", "getdents64", "close", "newfstatat"], ["glob"] = ["openat", "getdents64", "close", "newfstatat"],
    };

    /// <summary>
    /// Functions that make no syscall of their own beyond the runtime's start-up set: memory and string
    /// functions, formatting, the allocator (brk/mmap, always in the base), pthread bookkeeping, libgcc's unwinder
    /// helpers, the dynamic linker's hooks, and process-crash paths (__stack_chk_fail aborts with what any crash makes).
    /// </summary>
    public static readonly IReadOnlySet<string> NoSyscall = new HashSet<string>(StringComparer.Ordinal)
    {
        "_ITM_deregisterTMCloneTable", "_ITM_registerTMCloneTable", "__cxa_atexit", "__cxa_finalize", "__errno_location", "__gmon_start__",
        "__libc_current_sigrtmax", "__libc_current_sigrtmin", "__stack_chk_fail", "__tls_get_addr", "__assert_fail", "__ctype_b_loc", "__ctype_tolower_loc", "__ctype_toupper_loc",
        "__memcpy_chk", "__memset_chk", "__memmove_chk", "__strcpy_chk", "__strcat_chk", "__strncpy_chk", "__sprintf_chk", "__snprintf_chk", "__vsnprintf_chk", "__fprintf_chk", "__printf_chk",
        "__vfprintf_chk", "__fdelt_chk", "__isoc99_sscanf", "__isoc23_sscanf", "__isoc23_strtol", "__isoc23_strtoul", "__isoc23_strtoll", "__isoc23_strtoull", "__explicit_bzero_chk", "__cxa_thread_atexit_impl",
        "aligned_alloc", "calloc", "free", "malloc", "malloc_usable_size", "realloc", "posix_memalign", "memalign", "reallocarray", "strdup", "strndup",
        "bcmp", "memchr", "memcmp", "memcpy", "memmove", "memset", "memrchr", "explicit_bzero", "bzero", "strcasecmp", "strcat", "strchr", "strrchr", "strcmp", "strcpy", "strlen", "strncasecmp", "strncat",
        "strncmp", "strncpy", "strnlen", "strstr", "strspn", "strcspn", "strpbrk", "strtok", "strtok_r", "strsep", "stpcpy", "strtol", "strtoul", "strtoll", "strtoull", "strtod", "strtof", "atoi", "atol",
        "qsort", "bsearch", "snprintf", "sprintf", "vsnprintf", "vsprintf", "sscanf", "vasprintf", "asprintf", "strerror", "strerror_r", "__xpg_strerror_r", "gai_strerror", "timegm", "gmtime_r", "gmtime",
        "sigfillset", "sigemptyset", "sigaddset", "sigdelset", "sigismember", "log2", "log", "exp", "pow", "floor", "ceil", "lrand48", "srand48", "rand", "srand", "random", "srandom",
        "environ", "stderr", "stdout", "stdin", "optarg", "optind", "pthread_attr_destroy", "pthread_attr_init", "pthread_attr_setdetachstate", "pthread_attr_setstacksize", "pthread_attr_getstack",
        "pthread_cond_destroy", "pthread_cond_init", "pthread_condattr_destroy", "pthread_condattr_init", "pthread_condattr_setclock", "pthread_mutex_destroy", "pthread_mutex_init",
        "pthread_mutexattr_init", "pthread_mutexattr_settype", "pthread_mutexattr_destroy", "pthread_mutex_trylock", "pthread_self", "pthread_setcancelstate", "pthread_equal",
        "pthread_key_create", "pthread_key_delete", "pthread_getspecific", "pthread_setspecific", "pthread_rwlock_init", "pthread_rwlock_destroy", "pthread_rwlock_rdlock", "pthread_rwlock_wrlock", "pthread_rwlock_unlock",
        "freeaddrinfo", "freeifaddrs", "inet_ntop", "inet_pton", "inet_addr", "inet_ntoa", "htons", "ntohs", "htonl", "ntohl", "dlsym", "dlerror", "dladdr", "dlvsym", "dl_iterate_phdr",
        "getenv", "secure_getenv", "setlocale", "newlocale", "freelocale", "uselocale", "nl_langinfo", "wcslen", "mbstowcs", "wcstombs", "tolower", "toupper", "isalnum", "isspace", "isdigit", "isxdigit", "isupper", "islower", "isprint", "isalpha",
        "_Unwind_Resume", "_Unwind_RaiseException", "_Unwind_GetIP", "_Unwind_Backtrace", "__gxx_personality_v0", "__cxa_begin_catch", "__cxa_end_catch", "__cxa_rethrow", "__cxa_allocate_exception", "__cxa_free_exception", "__cxa_throw",
        "_ZdlPv", "_Znwm", "_Znam", "_ZdaPv", "_ZdlPvm", "_ZSt9terminatev", "__cxa_pure_virtual", "__cxa_guard_acquire", "__cxa_guard_release", "__cxa_guard_abort",
        "modf", "acos", "asin", "atan", "atan2", "cos", "sin", "sincos", "tan", "tanhf", "expf", "fmod", "round", "_setjmp", "_longjmp", "setjmp", "longjmp", "makecontext",
        "clearerr", "setbuf", "globfree", "fnmatch", "regcomp", "regexec", "regfree", "strptime", "bindtextdomain", "__asprintf_chk", "__vasprintf_chk", "__strncat_chk", "__stpcpy_chk",
        "__gmtime_r", "__rawmemchr", "__h_errno", "__resp", "__timezone", "__tzname", "timezone", "tzname", "errno", "in6addr_any", "inet_nsap_ntoa", "dn_skipname", "res_dnok", "res_hnok",
        "ns_initparse", "ns_name_uncompress", "ns_parserr", "__libc_dn_expand", "__libc_ns_makecanon", "__libc_ns_samename", "__libc_res_nameinquery", "__libc_res_queriesmatch",
        "__res_get_nsaddr", "__resolv_context_put", "__once_proxy", "dn_expand", "dn_comp",
        "getopt", "getopt_long", "abs", "labs", "div", "ldiv", "ffs", "__sched_cpucount", "sched_get_priority_max", "sched_get_priority_min",
    };

    /// <summary>The syscalls of <paramref name="function"/> (none for <see cref="NoSyscall"/>), or null when the table does not know it.</summary>
    public static IReadOnlyList<string>? For(string function) =>
        Table.TryGetValue(function, out var names) ? names : NoSyscall.Contains(function) ? [] : null;
}
