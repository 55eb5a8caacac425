using System.Text;
using k8s.Models;
using Portcullis.Runtime.Controller;
using Portcullis.Runtime.Resources;

namespace Portcullis.Runtime.Tests;

/// <summary>
/// An image's seccomp artifact plays the attacker against `forbiddenSyscalls` (finding 5 of the runtime review):
/// containerd and CRI-O read the bytes with Go's encoding/json (keys matched case-insensitively, the last one wins,
/// unknown fields ignored) and CRI-O's containers/common also honours Docker's includes/excludes. Each profile
/// here reads as harmless one way and allows ptrace the other way; the controller must refuse them all.
/// </summary>
public sealed class SeccompContentTrustTests
{
    private const string Name = "sha256-0a1b";

    private static ClusterPolicy Policy => ClusterPolicy.From(new V1ConfigMap { Data = new Dictionary<string, string> { ["forbiddenSyscalls"] = "ptrace, bpf" } });

    public static TheoryData<string, string, string> Bypasses => new()
    {
        // Portcullis read spec; the runtime reads the top-level defaultAction and ignores the rest.
        {
            "SPO wrapper with a top-level defaultAction",
            """{"apiVersion":"security-profiles-operator.x-k8s.io/v1beta1","kind":"SeccompProfile","metadata":{"name":"x"},"spec":{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW"}]},"defaultAction":"SCMP_ACT_ALLOW"}""",
            "PCL1022"
        },
        // Go: DefaultAction and defaultAction are one field, the last wins.
        {
            "a second DefaultAction",
            """{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW"}],"DefaultAction":"SCMP_ACT_ALLOW"}""",
            "PCL1012"
        },
        // Go: the rule's Action replaces its action.
        {
            "a rule Action in another case",
            """{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["ptrace","bpf"],"action":"SCMP_ACT_ERRNO","Action":"SCMP_ACT_ALLOW"}]}""",
            "PCL1012"
        },
        // containers/common drops the deny rule on amd64; a runtime-spec reader ignores excludes.
        {
            "a deny rule with excludes",
            """{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["ptrace","bpf"],"action":"SCMP_ACT_ERRNO","excludes":{"arches":["amd64"]}}]}""",
            "PCL1022"
        },
        // Go folds the long s (U+017F) to s: this is "syscalls" to the runtime.
        {
            "a key Go folds to a known one",
            """{"defaultAction":"SCMP_ACT_ERRNO","\u017Fyscalls":[{"names":["ptrace"],"action":"SCMP_ACT_ALLOW"}]}""",
            "PCL1012"
        },
        {
            "Docker's archMap",
            """{"defaultAction":"SCMP_ACT_ERRNO","archMap":[{"architecture":"SCMP_ARCH_X86_64","subArchitectures":[]}],"syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW"}]}""",
            "PCL1022"
        },
        {
            "Docker's includes on a deny rule",
            """{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["ptrace","bpf"],"action":"SCMP_ACT_ERRNO","includes":{"caps":["CAP_SYS_ADMIN"]}}]}""",
            "PCL1022"
        },
        {
            "a field no runtime reads",
            """{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["ptrace","bpf"],"action":"SCMP_ACT_ERRNO"}],"unused":1}""",
            "PCL1022"
        },
    };

    [Theory]
    [MemberData(nameof(Bypasses))]
    public void A_profile_that_reads_two_ways_is_refused(string what, string content, string code)
    {
        var why = Policy.CheckContent(ProfileType.Seccomp, Name, Encoding.UTF8.GetBytes(content));
        Assert.True(why is not null, what);
        Assert.StartsWith(code + ":", why, StringComparison.Ordinal);
        Assert.Contains($"({Name}:1:", why, StringComparison.Ordinal);
    }

    [Fact]
    public void A_conditional_deny_never_counts_as_denying_a_forbidden_syscall()
    {
        var why = Policy.CheckContent(ProfileType.Seccomp, Name, Encoding.UTF8.GetBytes(
            """{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["bpf"],"action":"SCMP_ACT_ERRNO"},{"names":["ptrace"],"action":"SCMP_ACT_ERRNO","args":[{"index":0,"value":16,"op":"SCMP_CMP_EQ"}]}]}"""));
        Assert.Equal("allows ptrace, which the cluster policy forbids", why);
    }

    [Fact]
    public void What_is_stored_is_the_canonical_serialization_of_what_was_judged()
    {
        var content = Encoding.UTF8.GetBytes("""
            {
              "syscalls": [
                {"names": ["write", "read"], "action": "SCMP_ACT_ALLOW", "comment": "recorded"},
                {"names": ["exit_group"], "action": "SCMP_ACT_ALLOW"},
                {"names": ["ptrace", "bpf"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}
              ],
              "defaultAction": "SCMP_ACT_ALLOW"
            }
            """);
        Assert.Null(Policy.CheckContent(ProfileType.Seccomp, Name, content));
        Assert.Equal(
            """{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["exit_group","read","write"],"action":"SCMP_ACT_ALLOW"},{"names":["bpf","ptrace"],"action":"SCMP_ACT_ERRNO","errnoRet":1}]}""",
            ClusterPolicy.StoredSeccomp(content, Name) ?? "");
    }
}
