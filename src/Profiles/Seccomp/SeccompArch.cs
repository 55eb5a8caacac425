namespace Portcullis.Profiles.Seccomp;

/// <summary>libseccomp's architectures, each primary followed by its compat ABIs (the order canonical output uses).</summary>
public enum SeccompArch
{
    Native,
    X86_64,
    X86,
    X32,
    Aarch64,
    Arm,
    Loongarch64,
    M68k,
    Mips64,
    Mips64N32,
    Mips,
    MipsEl64,
    MipsEl64N32,
    MipsEl,
    Ppc64Le,
    Ppc64,
    Ppc,
    S390X,
    S390,
    Parisc64,
    Parisc,
    RiscV64,
    Sh,
    ShEb,
}
