using Portcullis.Profiles.Diagnostics;
using Portcullis.Profiles.Generation;
using Portcullis.Profiles.Recordings;
using Portcullis.Profiles.Seccomp;

namespace Portcullis.Profiles.Tests.Generation;

public sealed class SocketFamilyTests
{
    private static SeccompProfile Generate(IReadOnlyList<int>? families, params SyscallEvidence[] extra) => SeccompGenerator.Generate(new GenerationRequest
    {
        Evidence = [new SyscallEvidence("socket", SourceKind.Predicted, "test"), new SyscallEvidence("connect", SourceKind.Predicted, "test"), .. extra],
        Targets = [SeccompArch.X86_64],
        SocketFamilies = families,
    }, new DiagnosticBag()).Profile;

    private static List<SeccompRule> SocketRules(SeccompProfile p) => p.Syscalls.Where(r => r.Names.Contains("socket")).ToList();

    [Fact]
    public void With_known_families_socket_is_allowed_once_per_family_and_socketcall_not_at_all()
    {
        var profile = Generate([SocketNames.AF_INET, SocketNames.AF_UNIX, SocketNames.AF_INET]);

        var rules = SocketRules(profile);
        Assert.Equal(new ulong[] { SocketNames.AF_UNIX, SocketNames.AF_INET }, rules.Select(r => Assert.Single(r.Args).Value).Order());
        Assert.All(rules, r => Assert.Equal(SeccompOperator.Equal, r.Args[0].Operator));
        Assert.All(rules, r => Assert.Equal(["socket"], r.Names));
        Assert.DoesNotContain(profile.Syscalls, r => r.Names.Contains("socketcall") && r.Action == SeccompAction.Allow);
        Assert.Contains(profile.Syscalls, r => r.Names.Contains("connect") && r.Args.Count == 0);
    }

    [Fact]
    public void Unknown_families_or_a_user_who_allows_socket_keep_it_unconditional()
    {
        Assert.Empty(Assert.Single(SocketRules(Generate(null))).Args);
        Assert.Empty(Assert.Single(SocketRules(Generate([SocketNames.AF_INET], new SyscallEvidence("socket", SourceKind.Override, "--allow")))).Args);
    }
}
