using Portcullis.Profiles.Diagnostics;
using Portcullis.Profiles.Documents;
using Portcullis.Profiles.Generation;
using Portcullis.Profiles.Seccomp;
using Portcullis.Profiles.Syscalls;

namespace Portcullis.Profiles.Tests.Generation;

/// <summary>
/// Runtimes that follow KEP-6061 refuse a seccomp profile over 1 MiB or with more than 128 entries in
/// `syscalls`. A generated profile has one entry per kind of reason (plus clone's and the ENOSYS one), never one per
/// name, so even the largest input there can be — every syscall of every architecture, for every reason, on every
/// target — stays far below both.
/// </summary>
public sealed class RuntimeLimitsTests
{
    private const int KepMaxEntries = 128;
    private const int KepMaxBytes = 1024 * 1024;

    private static GeneratedSeccomp Largest() => SeccompGenerator.Generate(new GenerationRequest
    {
        Evidence = [.. SyscallTable.Names.SelectMany(n => Enum.GetValues<SourceKind>().Select(k => new SyscallEvidence(n, k, $"{k} of {n}")))],
        Targets = [SeccompArch.X86_64, SeccompArch.Aarch64, SeccompArch.Ppc64Le, SeccompArch.S390X, SeccompArch.RiscV64],
        AllowIoUring = true,
    }, new DiagnosticBag());

    [Fact]
    public void The_largest_profile_there_can_be_has_a_handful_of_entries()
    {
        var profile = Largest().Profile;

        Assert.InRange(profile.Syscalls.Count, 1, KepMaxEntries / 8);
        Assert.True(profile.Syscalls.Sum(r => r.Names.Count) > 300, "the input should name every syscall");
    }

    [Fact]
    public void The_largest_profile_there_can_be_is_far_below_a_mebibyte_as_the_bytes_a_runtime_reads()
    {
        var bytes = DocJsonWriter.Write(SeccompWriter.ToDoc(Largest().Profile));

        Assert.InRange(bytes.Length, 1, KepMaxBytes / 16);
    }
}
