using System.Runtime.InteropServices;

namespace Portcullis.Recorder.Native;

/// <summary>Installs classic-BPF seccomp filters on the calling thread (prctl PR_SET_SECCOMP).</summary>
internal static unsafe class SeccompFilter
{
    private const int PR_SET_NO_NEW_PRIVS = 38;
    private const int PR_SET_SECCOMP = 22;
    private const int SECCOMP_MODE_FILTER = 2;
    private const ushort BPF_RET_K = 0x06;

    public const uint SECCOMP_RET_TRACE = 0x7ff00000;

    [StructLayout(LayoutKind.Sequential)]
    private struct SockFilter
    {
        public ushort Code;
        public byte Jt;
        public byte Jf;
        public uint K;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct SockFprog
    {
        public ushort Length;
        public SockFilter* Filter;
    }

    public static void SetNoNewPrivileges()
    {
        if (Libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
            throw new RecorderException($"prctl(PR_SET_NO_NEW_PRIVS) failed: {Libc.Describe(Libc.Errno)}");
    }

    /// <summary>
    /// A one-instruction filter: every syscall stops for the tracer (SECCOMP_RET_TRACE), once. Without
    /// CAP_SYS_ADMIN the kernel accepts a filter only under no_new_privs, which makes setuid programs run
    /// unprivileged; with it, no_new_privs stays off and the command runs as it would in a container.
    /// Returns whether no_new_privs had to be set.
    /// </summary>
    public static bool TraceEverySyscall()
    {
        const int EACCES = 13;
        var program = stackalloc SockFilter[1];
        program[0] = new SockFilter { Code = BPF_RET_K, K = SECCOMP_RET_TRACE };
        var fprog = new SockFprog { Length = 1, Filter = program };
        if (Libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, (ulong)&fprog, 0, 0) == 0)
            return false;
        if (Libc.Errno != EACCES)
            throw new RecorderException($"installing the tracing seccomp filter failed: {Libc.Describe(Libc.Errno)}");
        SetNoNewPrivileges();
        if (Libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, (ulong)&fprog, 0, 0) != 0)
            throw new RecorderException($"installing the tracing seccomp filter failed: {Libc.Describe(Libc.Errno)}");
        return true;
    }
}
