using Portcullis.Profiles.Seccomp;

namespace Portcullis.Recorder.Native;

/// <summary>AUDIT_ARCH_* values (linux/audit.h) as the kernel reports them for a syscall, mapped to seccomp architectures.</summary>
internal static class AuditArch
{
    public const uint X86_64 = 0xC000003E;
    public const uint I386 = 0x40000003;
    public const uint Aarch64 = 0xC00000B7;
    public const uint Arm = 0x40000028;

    /// <summary>x32 calls arrive with the x86_64 audit arch and this bit set in the number.</summary>
    public const ulong X32SyscallBit = 0x40000000;

    public static SeccompArch? ToSeccomp(uint auditArch, ulong nr) => auditArch switch
    {
        X86_64 => (nr & X32SyscallBit) != 0 ? SeccompArch.X32 : SeccompArch.X86_64,
        I386 => SeccompArch.X86,
        Aarch64 => SeccompArch.Aarch64,
        Arm => SeccompArch.Arm,
        _ => null,
    };
}
