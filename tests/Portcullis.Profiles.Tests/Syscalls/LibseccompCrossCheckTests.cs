using Portcullis.Profiles.Seccomp;
using Portcullis.Profiles.Syscalls;
using Portcullis.Profiles.Tests.Support;

namespace Portcullis.Profiles.Tests.Syscalls;

/// <summary>
/// Checks the generated table against the real libseccomp.so.2 on this machine: for every name libseccomp
/// resolves on an architecture, our number must be the same, and libseccomp must give our number back that name.
/// libseccomp may be older than the table (names it does not know resolve to a negative value and are skipped).
/// </summary>
public sealed class LibseccompCrossCheckTests
{
    [Theory]
    [InlineData(SeccompArch.X86_64, "x86_64")]
    [InlineData(SeccompArch.X86, "x86")]
    [InlineData(SeccompArch.X32, "x32")]
    [InlineData(SeccompArch.Aarch64, "aarch64")]
    [InlineData(SeccompArch.Arm, "arm")]
    [InlineData(SeccompArch.Mips, "mips")]
    [InlineData(SeccompArch.Mips64, "mips64")]
    [InlineData(SeccompArch.Mips64N32, "mips64n32")]
    [InlineData(SeccompArch.Ppc64Le, "ppc64le")]
    [InlineData(SeccompArch.S390X, "s390x")]
    [InlineData(SeccompArch.RiscV64, "riscv64")]
    public void Every_name_libseccomp_knows_has_the_same_number(SeccompArch arch, string libseccompArch)
    {
        if (!File.Exists("/usr/lib/x86_64-linux-gnu/libseccomp.so.2") && !File.Exists("/lib/x86_64-linux-gnu/libseccomp.so.2"))
            Requires.Tool("libseccomp.so.2", "libseccomp2");

        var token = Libseccomp.ArchResolveName(libseccompArch);
        Assert.NotEqual(0u, token);

        var compared = 0;
        var mismatches = new List<string>();
        foreach (var name in SyscallTable.Names)
        {
            var theirs = Libseccomp.ResolveNameArch(token, name);
            if (theirs < 0)
                continue;
            compared++;
            var ours = SyscallTable.Number(name, arch);
            if (ours != theirs)
                mismatches.Add($"{name}: ours {ours?.ToString() ?? "none"}, libseccomp {theirs}");
            else if (Libseccomp.NameOf(token, theirs) is { } back && back != name && SyscallTable.Number(back, arch) != theirs)
                mismatches.Add($"{name}: libseccomp names {theirs} '{back}', which our table does not map to {theirs}");
        }
        Assert.Empty(mismatches);
        Assert.True(compared > 250, $"only {compared} names compared on {libseccompArch}");
    }
}
