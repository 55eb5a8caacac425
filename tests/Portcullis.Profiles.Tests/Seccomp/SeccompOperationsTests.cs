using Portcullis.Profiles.Diagnostics;
using Portcullis.Profiles.Seccomp;
using Portcullis.Profiles.Tests.Support;

namespace Portcullis.Profiles.Tests.Seccomp;

public sealed class SeccompOperationsTests
{
    private static SeccompProfile P(string rules, string defaultAction = "SCMP_ACT_ERRNO") =>
        Load.Seccomp($$"""{"defaultAction": "{{defaultAction}}", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"], "syscalls": [{{rules}}]}""");

    private const string CloneIfThread = """{"names": ["clone"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 2114060288, "op": "SCMP_CMP_MASKED_EQ"}]}""";

    private static SyscallTreatment On(SeccompProfile p, string name) => EffectiveView.Of(p, SeccompArch.X86_64).For(name);

    [Fact]
    public void Merge_is_the_union_and_keeps_conditions()
    {
        var a = P("""{"names": ["read", "write"], "action": "SCMP_ACT_ALLOW"}, """ + CloneIfThread);
        var b = P("""{"names": ["write", "openat"], "action": "SCMP_ACT_ALLOW"}""");
        var merged = SeccompMerger.Merge([a, b], new DiagnosticBag());
        Assert.Equal(SeccompAction.Allow, On(merged, "openat").Unconditional);
        Assert.Equal(SeccompAction.Allow, On(merged, "read").Unconditional);
        var clone = Assert.Single(On(merged, "clone").Rules);
        Assert.Equal(2114060288ul, Assert.Single(clone.Args).Value);
        Assert.Equal(2, merged.Syscalls.Count);
    }

    [Fact]
    public void Merge_drops_a_condition_only_where_another_input_allows_the_call_outright()
    {
        var merged = SeccompMerger.Merge([P(CloneIfThread), P("""{"names": ["clone"], "action": "SCMP_ACT_ALLOW"}""")], new DiagnosticBag());
        Assert.Equal(SeccompAction.Allow, On(merged, "clone").Unconditional);
    }

    [Fact]
    public void Merge_takes_the_more_permissive_action_and_warns_on_different_defaults()
    {
        var bag = new DiagnosticBag();
        var merged = SeccompMerger.Merge([P("""{"names": ["ptrace"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}""", "SCMP_ACT_LOG"), P("""{"names": ["ptrace"], "action": "SCMP_ACT_ALLOW"}""")], bag);
        Assert.Equal(SeccompAction.Log, merged.DefaultAction);
        Assert.Equal(SeccompAction.Allow, On(merged, "ptrace").Unconditional);
        Assert.Equal(DiagnosticId.DefaultActionsDiffer, Assert.Single(bag.Items).Id);
    }

    [Fact]
    public void Merge_of_one_profile_is_its_canonical_form()
    {
        var docker = Load.OneSeccomp(Repo.Data("seccomp/docker-default.json"));
        Assert.Equal(SeccompCanonicalizer.Normalize(docker), SeccompMerger.Merge([docker], new DiagnosticBag()));
    }

    [Fact]
    public void Intersect_keeps_what_both_allow_and_the_narrower_conditions()
    {
        var bag = new DiagnosticBag();
        var a = P("""{"names": ["read", "write", "clone"], "action": "SCMP_ACT_ALLOW"}""");
        var b = P("""{"names": ["read", "openat"], "action": "SCMP_ACT_ALLOW"}, """ + CloneIfThread);
        var both = SeccompIntersector.Intersect(a, b, bag);
        Assert.Equal(SeccompAction.Allow, On(both, "read").Unconditional);
        Assert.True(On(both, "write").UsesDefault);
        Assert.True(On(both, "openat").UsesDefault);
        Assert.Single(Assert.Single(On(both, "clone").Rules).Args);
        Assert.Empty(bag.Items);
    }

    [Fact]
    public void Intersect_warns_when_conditions_cannot_be_combined()
    {
        var bag = new DiagnosticBag();
        var both = SeccompIntersector.Intersect(
            P("""{"names": ["ioctl"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 1, "value": 1, "op": "SCMP_CMP_EQ"}]}"""),
            P("""{"names": ["ioctl"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 1, "value": 2, "op": "SCMP_CMP_EQ"}]}"""), bag);
        Assert.True(On(both, "ioctl").UsesDefault);
        Assert.Equal(DiagnosticId.ConditionsDropped, Assert.Single(bag.Items).Id);
    }

    [Fact]
    public void Subtract_removes_every_named_syscall()
    {
        var result = SeccompSubtractor.Subtract(
            P("""{"names": ["read", "write", "ptrace"], "action": "SCMP_ACT_ALLOW"}, """ + CloneIfThread),
            P("""{"names": ["ptrace", "clone"], "action": "SCMP_ACT_ERRNO"}"""));
        Assert.Equal(["read", "write"], Assert.Single(result.Syscalls).Names);
    }

    [Fact]
    public void Diff_reports_added_removed_and_changed_per_architecture()
    {
        var before = P("""{"names": ["read", "write", "ptrace"], "action": "SCMP_ACT_ALLOW"}""");
        var after = P("""{"names": ["read", "write", "uname", "socketcall"], "action": "SCMP_ACT_ALLOW"}, {"names": ["ptrace"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}""");
        var diff = SeccompDiff.Compare(before, after);
        var x64 = diff.Architectures.Single(a => a.Architecture == SeccompArch.X86_64).Changes;
        Assert.Equal([("ptrace", ChangeKind.Changed), ("uname", ChangeKind.Added)], x64.Select(c => (c.Name, c.Kind)));
        var x86 = diff.Architectures.Single(a => a.Architecture == SeccompArch.X86).Changes;
        Assert.Contains(x86, c => c.Name == "socketcall" && c.Kind == ChangeKind.Added);
        Assert.Equal("SCMP_ACT_ERRNO(1)", x64[0].After);

        var reverse = SeccompDiff.Compare(after, before).Architectures.Single(a => a.Architecture == SeccompArch.X86_64).Changes;
        Assert.Contains(reverse, c => c.Name == "uname" && c.Kind == ChangeKind.Removed);
    }

    [Fact]
    public void Diff_of_a_profile_and_its_canonical_form_is_empty()
    {
        var docker = DockerProfileResolver.Resolve(Load.OneSeccomp(Repo.Data("seccomp/docker-default.json")), DockerTarget.Host(SeccompArch.X86_64));
        Assert.True(SeccompDiff.Compare(docker, SeccompCanonicalizer.Normalize(docker)).IsEmpty);
    }

    [Fact]
    public void Stats_count_allowed_and_conditional_against_docker()
    {
        var p = P("""{"names": ["read", "write", "open", "socketcall"], "action": "SCMP_ACT_ALLOW"}, """ + CloneIfThread);
        var rows = SeccompStats.Compute(_ => p, ReferenceProfiles.DockerDefaultFor, EffectiveView.ArchitecturesOf(p));
        var x64 = rows.Single(r => r.Architecture == SeccompArch.X86_64);
        Assert.Equal((3, 1), (x64.Allowed, x64.Conditional));
        Assert.Equal(4, rows.Single(r => r.Architecture == SeccompArch.X86).Allowed);
        Assert.InRange(x64.ReferenceAllowed, 280, 340);
    }

    [Fact]
    public void An_allowing_default_counts_every_syscall_no_rule_denies()
    {
        var p = P("""{"names": ["ptrace"], "action": "SCMP_ACT_ERRNO"}""", "SCMP_ACT_ALLOW");
        var row = SeccompStats.Compute(_ => p, ReferenceProfiles.DockerDefaultFor, [SeccompArch.X86_64]).Single();
        Assert.Equal(row.Known - 1, row.Allowed);
    }
}
