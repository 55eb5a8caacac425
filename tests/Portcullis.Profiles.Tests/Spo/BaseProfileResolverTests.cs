using Portcullis.Profiles.Diagnostics;
using Portcullis.Profiles.Loading;
using Portcullis.Profiles.Seccomp;
using Portcullis.Profiles.Spo;
using Portcullis.Profiles.Tests.Support;

namespace Portcullis.Profiles.Tests.Spo;

public sealed class BaseProfileResolverTests
{
    private static SpoSeccompProfile Cr(string name, string? baseName, params string[] names) =>
        ((SeccompDocument)Load.Text($$"""
            apiVersion: security-profiles-operator.x-k8s.io/v1
            kind: SeccompProfile
            metadata:
              name: {{name}}
            spec:
              defaultAction: SCMP_ACT_ERRNO
              {{(baseName is null ? "" : "baseProfileName: " + baseName)}}
              architectures: [SCMP_ARCH_X86_64, SCMP_ARCH_X86, SCMP_ARCH_X32]
              syscalls:
              - action: SCMP_ACT_ALLOW
                names: [{{string.Join(", ", names)}}]
            """, name + ".yaml")[0]).Spo!;

    [Fact]
    public void Resolves_a_chain_into_the_union()
    {
        var app = Cr("app", "middle", "uname");
        var resolver = new BaseProfileResolver([Cr("middle", "bottom", "read"), Cr("bottom", null, "exit_group")]);
        var resolved = resolver.Resolve(app, new DiagnosticBag());
        Assert.Equal(["exit_group", "read", "uname"], Assert.Single(resolved.Syscalls).Names);
    }

    [Fact]
    public void Resolves_against_the_real_runc_base_profile()
    {
        var runc = ((SeccompDocument)Load.File(Repo.Data("spo/baseprofile-runc.yaml"))[0]).Spo!;
        var resolved = new BaseProfileResolver([runc]).Resolve(Cr("app", "runc-v1.4.2", "uname"), new DiagnosticBag());
        var names = Assert.Single(resolved.Syscalls).Names;
        Assert.Contains("uname", names);
        Assert.Contains("execve", names);
        Assert.Equal(runc.Spec.Syscalls.SelectMany(r => r.Names).Append("uname").Distinct().Count(), names.Count);
    }

    [Theory]
    [InlineData("missing", DiagnosticId.BaseProfileNotFound)]
    [InlineData("oci://registry.example/profiles/runc:v1", DiagnosticId.BaseProfileRemote)]
    [InlineData("loop-a", DiagnosticId.BaseProfileCycle)]
    public void Refuses_what_cannot_be_resolved(string baseName, DiagnosticId id)
    {
        var resolver = new BaseProfileResolver([Cr("loop-a", "loop-b", "read"), Cr("loop-b", "loop-a", "write")]);
        var e = Assert.Throws<ProfileException>(() => resolver.Resolve(Cr("app", baseName, "uname"), new DiagnosticBag()));
        Assert.Equal(id, e.Diagnostic.Id);
        Assert.Equal("spec.baseProfileName", e.Diagnostic.Field);
    }

    [Fact]
    public void Refuses_chains_deeper_than_the_limit()
    {
        var chain = Enumerable.Range(0, BaseProfileResolver.MaxDepth + 2).Select(i => Cr($"p{i}", $"p{i + 1}", "read")).Append(Cr($"p{BaseProfileResolver.MaxDepth + 2}", null, "read")).ToList();
        var e = Assert.Throws<ProfileException>(() => new BaseProfileResolver(chain).Resolve(chain[0], new DiagnosticBag()));
        Assert.Equal(DiagnosticId.BaseProfileTooDeep, e.Diagnostic.Id);
    }
}
