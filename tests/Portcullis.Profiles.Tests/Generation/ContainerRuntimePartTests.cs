using Portcullis.Profiles.Diagnostics;
using Portcullis.Profiles.Generation;
using Portcullis.Profiles.Seccomp;

namespace Portcullis.Profiles.Tests.Generation;

public sealed class ContainerRuntimePartTests
{
    // An app that itself calls setuid and read (both also in the runtime's part) and nothing else of it.
    private static SeccompProfile Generated(params string[] appNames) => SeccompGenerator.Generate(new GenerationRequest
    {
        Evidence = [.. appNames.Select(n => new SyscallEvidence(n, SourceKind.Predicted, "test")), new SyscallEvidence("chdir", SourceKind.Override, "--allow")],
        Targets = [SeccompArch.X86_64],
    }, new DiagnosticBag()).Profile;

    private static HashSet<string> Allowed(SeccompProfile p) => EffectiveView.Of(p, SeccompArch.X86_64).Allowed().ToHashSet(StringComparer.Ordinal);

    [Fact]
    public void The_runtime_only_names_are_the_base_minus_what_the_app_or_the_user_needs()
    {
        var names = ContainerRuntimePart.NamesIn(Generated("setuid", "read"));

        Assert.Contains("setgid", names);
        Assert.Contains("capset", names);
        Assert.DoesNotContain("setuid", names);
        Assert.DoesNotContain("read", names);
        Assert.DoesNotContain("chdir", names); // allowed by the user: not the runtime's to drop
        Assert.Subset(ContainerRuntimeBase.Names.ToHashSet(), names.ToHashSet());
    }

    [Fact]
    public void Runc_with_no_new_privs_loses_the_identity_switch_the_app_does_not_make_and_keeps_what_it_does()
    {
        var profile = Generated("setuid", "read");
        var runtimeOnly = ContainerRuntimePart.NamesIn(profile);

        var nnp = Allowed(ContainerRuntimePart.Tailor(profile, runtimeOnly, ContainerRuntimeBase.For("runc", "1.1.5", noNewPrivileges: true)));
        var privileged = Allowed(ContainerRuntimePart.Tailor(profile, runtimeOnly, ContainerRuntimeBase.For("runc", "1.1.5", noNewPrivileges: false)));

        foreach (var name in new[] { "setgid", "setgroups", "capset", "capget" })
        {
            Assert.DoesNotContain(name, nnp);
            Assert.Contains(name, privileged);
        }
        Assert.Contains("setuid", nnp); // the app's own
        Assert.Contains("chdir", nnp); // the user's
        Assert.Contains("execve", nnp);
        Assert.Subset(Allowed(profile), privileged);
    }

    [Fact]
    public void An_unproven_runtime_keeps_the_union()
    {
        var profile = Generated("read");

        Assert.Same(profile, ContainerRuntimePart.Tailor(profile, ContainerRuntimePart.NamesIn(profile), ContainerRuntimeBase.For("runc", "1.4.2", true)));
    }

    [Fact]
    public void Whatever_an_image_claims_is_runtime_only_tailoring_never_widens_a_profile()
    {
        // An attacker's annotation: names outside the base, junk, and base names the profile does not allow.
        var claimed = ContainerRuntimePart.Parse("ptrace,bpf, mount ,,setns,kexec_load,read,write,execve,setuid,../x");
        foreach (var profile in new[] { Generated("read"), Generated("read") with { Syscalls = [new SeccompRule { Names = ["read", "exit_group"], Action = SeccompAction.Allow }] } })
        {
            var before = Allowed(profile);
            foreach (var variant in RuntimeBaseTable.Rows)
                Assert.Subset(before, Allowed(ContainerRuntimePart.Tailor(profile, claimed, variant)));
        }
        Assert.Equal(["execve", "read", "setuid", "write"], claimed);
    }

    [Theory]
    [InlineData("runc/1.1.5", "runc", true)]
    [InlineData("runc-1.1.5", "runc", true)]
    [InlineData("crun 1.8.1", "crun", true)]
    [InlineData("runc/1.4.2", "runc", false)]
    public void A_runtime_is_named_by_option_or_label(string text, string runtime, bool proven)
    {
        var variant = ContainerRuntimeBase.ForName(text, noNewPrivileges: true);

        Assert.NotNull(variant);
        Assert.Equal(runtime, variant.Runtime);
        Assert.Equal(proven, variant.Proven);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("runc")]
    [InlineData("containerd://1.7.2")]
    [InlineData("/1.1.5")]
    public void Text_that_names_no_runtime_and_version_is_no_runtime(string? text) =>
        Assert.Null(ContainerRuntimeBase.ForName(text, noNewPrivileges: false));
}
