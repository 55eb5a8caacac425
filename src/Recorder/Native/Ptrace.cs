using System.Runtime.InteropServices;

namespace Portcullis.Recorder.Native;

/// <summary>ptrace(2) requests, options and events (linux/ptrace.h), and the syscall-info record.</summary>
internal static class Ptrace
{
    public const long PTRACE_CONT = 7;
    public const long PTRACE_SEIZE = 0x4206;
    public const long PTRACE_LISTEN = 0x4208;
    public const long PTRACE_GETEVENTMSG = 0x4201;
    public const long PTRACE_GET_SYSCALL_INFO = 0x420e;

    public const long PTRACE_O_TRACEFORK = 1 << 1;
    public const long PTRACE_O_TRACEVFORK = 1 << 2;
    public const long PTRACE_O_TRACECLONE = 1 << 3;
    public const long PTRACE_O_TRACEEXEC = 1 << 4;
    public const long PTRACE_O_TRACESECCOMP = 1 << 7;
    public const long PTRACE_O_EXITKILL = 1 << 20;

    public const int PTRACE_EVENT_FORK = 1;
    public const int PTRACE_EVENT_VFORK = 2;
    public const int PTRACE_EVENT_CLONE = 3;
    public const int PTRACE_EVENT_EXEC = 4;
    public const int PTRACE_EVENT_SECCOMP = 7;
    public const int PTRACE_EVENT_STOP = 128;

    public const byte PTRACE_SYSCALL_INFO_SECCOMP = 3;

    /// <summary>struct ptrace_syscall_info, seccomp variant: op, arch, ip, sp, nr, args[6], ret_data.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct SyscallInfo
    {
        public byte Op;
        public byte Pad0;
        public byte Pad1;
        public byte Pad2;
        public uint Arch;
        public ulong InstructionPointer;
        public ulong StackPointer;
        public ulong Nr;
        public fixed ulong Args[6];
        public uint RetData;
        public uint Pad3;
    }
}
