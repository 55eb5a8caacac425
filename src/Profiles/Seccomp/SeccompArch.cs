namespace Portcullis.Profiles.Seccomp;

public enum SeccompArch
{
    Native,
    X86,
    X86_64,
    X32,
    Arm,
    Aarch64,
    Loongarch64,
    M68k,
    Mips,
    Mips64,
    Mips64N32,
    MipsEl,
    MipsEl64,
    MipsEl64N32,
    Ppc,
    Ppc64,
    Ppc64Le,
    S390,
    S390X,
    Parisc,
    Parisc64,
    RiscV64,
    Sh,
    ShEb,
}
