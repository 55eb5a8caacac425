using Portcullis.Profiles.Collections;

namespace Portcullis.Profiles.Seccomp;

/// <summary>Facts about each SCMP_ARCH_*: its wire name, the syscall-table ABI it uses, its Go/Docker name, and its compat sub-architectures.</summary>
public static class SeccompArchitectures
{
    public static WireNames<SeccompArch> Wire { get; } = new(
        (SeccompArch.Native, "SCMP_ARCH_NATIVE"),
        (SeccompArch.X86, "SCMP_ARCH_X86"),
        (SeccompArch.X86_64, "SCMP_ARCH_X86_64"),
        (SeccompArch.X32, "SCMP_ARCH_X32"),
        (SeccompArch.Arm, "SCMP_ARCH_ARM"),
        (SeccompArch.Aarch64, "SCMP_ARCH_AARCH64"),
        (SeccompArch.Loongarch64, "SCMP_ARCH_LOONGARCH64"),
        (SeccompArch.M68k, "SCMP_ARCH_M68K"),
        (SeccompArch.Mips, "SCMP_ARCH_MIPS"),
        (SeccompArch.Mips64, "SCMP_ARCH_MIPS64"),
        (SeccompArch.Mips64N32, "SCMP_ARCH_MIPS64N32"),
        (SeccompArch.MipsEl, "SCMP_ARCH_MIPSEL"),
        (SeccompArch.MipsEl64, "SCMP_ARCH_MIPSEL64"),
        (SeccompArch.MipsEl64N32, "SCMP_ARCH_MIPSEL64N32"),
        (SeccompArch.Ppc, "SCMP_ARCH_PPC"),
        (SeccompArch.Ppc64, "SCMP_ARCH_PPC64"),
        (SeccompArch.Ppc64Le, "SCMP_ARCH_PPC64LE"),
        (SeccompArch.S390, "SCMP_ARCH_S390"),
        (SeccompArch.S390X, "SCMP_ARCH_S390X"),
        (SeccompArch.Parisc, "SCMP_ARCH_PARISC"),
        (SeccompArch.Parisc64, "SCMP_ARCH_PARISC64"),
        (SeccompArch.RiscV64, "SCMP_ARCH_RISCV64"),
        (SeccompArch.Sh, "SCMP_ARCH_SH"),
        (SeccompArch.ShEb, "SCMP_ARCH_SHEB"));

    /// <summary>The libseccomp syscalls.csv ABI column whose numbers this architecture uses (endianness does not change numbers).</summary>
    public static string? TableAbi(this SeccompArch arch) => arch switch
    {
        SeccompArch.X86 => "x86",
        SeccompArch.X86_64 => "x86_64",
        SeccompArch.X32 => "x32",
        SeccompArch.Arm => "arm",
        SeccompArch.Aarch64 => "aarch64",
        SeccompArch.Loongarch64 => "loongarch64",
        SeccompArch.M68k => "m68k",
        SeccompArch.Mips or SeccompArch.MipsEl => "mips",
        SeccompArch.Mips64 or SeccompArch.MipsEl64 => "mips64",
        SeccompArch.Mips64N32 or SeccompArch.MipsEl64N32 => "mips64n32",
        SeccompArch.Ppc => "ppc",
        SeccompArch.Ppc64 or SeccompArch.Ppc64Le => "ppc64",
        SeccompArch.S390 => "s390",
        SeccompArch.S390X => "s390x",
        SeccompArch.Parisc => "parisc",
        SeccompArch.Parisc64 => "parisc64",
        SeccompArch.RiscV64 => "riscv64",
        SeccompArch.Sh or SeccompArch.ShEb => "sh",
        _ => null,
    };

    /// <summary>The compat ABIs a kernel of this architecture also runs; a filter for the primary alone lets them through unfiltered or kills them.</summary>
    public static IReadOnlyList<SeccompArch> SubArchitectures(this SeccompArch arch) => arch switch
    {
        SeccompArch.X86_64 => [SeccompArch.X86, SeccompArch.X32],
        SeccompArch.Aarch64 => [SeccompArch.Arm],
        SeccompArch.Mips64 => [SeccompArch.Mips, SeccompArch.Mips64N32],
        SeccompArch.Mips64N32 => [SeccompArch.Mips, SeccompArch.Mips64],
        SeccompArch.MipsEl64 => [SeccompArch.MipsEl, SeccompArch.MipsEl64N32],
        SeccompArch.MipsEl64N32 => [SeccompArch.MipsEl, SeccompArch.MipsEl64],
        SeccompArch.Ppc64 => [SeccompArch.Ppc],
        SeccompArch.S390X => [SeccompArch.S390],
        SeccompArch.Parisc64 => [SeccompArch.Parisc],
        _ => [],
    };

    /// <summary>Docker's (Go's GOARCH) spelling, used by includes/excludes "arches" in Docker-format profiles.</summary>
    public static SeccompArch? FromGoArch(string goArch) => goArch switch
    {
        "amd64" => SeccompArch.X86_64,
        "386" or "x86" => SeccompArch.X86,
        "x32" => SeccompArch.X32,
        "arm64" => SeccompArch.Aarch64,
        "arm" => SeccompArch.Arm,
        "loong64" => SeccompArch.Loongarch64,
        "mips" => SeccompArch.Mips,
        "mipsle" => SeccompArch.MipsEl,
        "mips64" => SeccompArch.Mips64,
        "mips64le" => SeccompArch.MipsEl64,
        "mips64n32" => SeccompArch.Mips64N32,
        "mips64len32" => SeccompArch.MipsEl64N32,
        "ppc" => SeccompArch.Ppc,
        "ppc64" => SeccompArch.Ppc64,
        "ppc64le" => SeccompArch.Ppc64Le,
        "s390" => SeccompArch.S390,
        "s390x" => SeccompArch.S390X,
        "parisc" => SeccompArch.Parisc,
        "parisc64" => SeccompArch.Parisc64,
        "riscv64" => SeccompArch.RiscV64,
        _ => null,
    };

    /// <summary>The architecture this process runs on.</summary>
    public static SeccompArch Host => System.Runtime.InteropServices.RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => SeccompArch.X86_64,
        System.Runtime.InteropServices.Architecture.X86 => SeccompArch.X86,
        System.Runtime.InteropServices.Architecture.Arm64 => SeccompArch.Aarch64,
        System.Runtime.InteropServices.Architecture.Arm => SeccompArch.Arm,
        System.Runtime.InteropServices.Architecture.S390x => SeccompArch.S390X,
        System.Runtime.InteropServices.Architecture.Ppc64le => SeccompArch.Ppc64Le,
        System.Runtime.InteropServices.Architecture.RiscV64 => SeccompArch.RiscV64,
        System.Runtime.InteropServices.Architecture.LoongArch64 => SeccompArch.Loongarch64,
        _ => SeccompArch.X86_64,
    };
}
