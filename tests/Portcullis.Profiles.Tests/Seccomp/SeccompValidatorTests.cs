using Portcullis.Profiles.Diagnostics;
using Portcullis.Profiles.Loading;
using Portcullis.Profiles.Seccomp;
using Portcullis.Profiles.Tests.Support;

namespace Portcullis.Profiles.Tests.Seccomp;

public sealed class SeccompValidatorTests
{
    private static IReadOnlyList<Diagnostic> Check(string json) => SeccompValidator.Validate(Load.Seccomp(json));

    private static string Profile(string rules, string extra = "", string archs = "\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\", \"SCMP_ARCH_X32\"") =>
        $$"""{"defaultAction": "SCMP_ACT_ERRNO", "architectures": [{{archs}}]{{extra}}, "syscalls": [{{rules}}]}""";

    [Fact]
    public void A_clean_profile_has_no_findings() =>
        Assert.Empty(Check(Profile("""{"names": ["read", "write", "exit_group"], "action": "SCMP_ACT_ALLOW"}""")));

    [Fact]
    public void Unknown_names_are_errors_with_a_suggestion_and_position()
    {
        var d = Assert.Single(Check(Profile("""{"names": ["read", "opne"], "action": "SCMP_ACT_ALLOW"}""")));
        Assert.Equal(DiagnosticId.UnknownSyscall, d.Id);
        Assert.Equal(Severity.Error, d.Severity);
        Assert.Contains("did you mean 'open'?", d.Message, StringComparison.Ordinal);
        Assert.Equal("syscalls[0].names[1]", d.Field);
        Assert.Equal(1, d.Origin.Line);
    }

    [Fact]
    public void A_name_missing_on_the_only_listed_architecture_is_a_warning()
    {
        var found = Check(Profile("""{"names": ["open"], "action": "SCMP_ACT_ALLOW"}""", archs: "\"SCMP_ARCH_AARCH64\", \"SCMP_ARCH_ARM\""));
        Assert.DoesNotContain(found, d => d.Id == DiagnosticId.SyscallNotOnArchitecture);

        var d = Assert.Single(Check(Profile("""{"names": ["fork"], "action": "SCMP_ACT_ALLOW"}""", archs: "\"SCMP_ARCH_RISCV64\"")));
        Assert.Equal((DiagnosticId.SyscallNotOnArchitecture, Severity.Warning), (d.Id, d.Severity));
        Assert.Contains("'fork' does not exist on SCMP_ARCH_RISCV64", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_missing_on_some_listed_architectures_is_summarised_per_architecture()
    {
        var d = Assert.Single(Check(Profile("""{"names": ["open", "read"], "action": "SCMP_ACT_ALLOW"}""", archs: "\"SCMP_ARCH_AARCH64\", \"SCMP_ARCH_ARM\"")));
        Assert.Equal(DiagnosticId.SyscallsMissingOnArchitecture, d.Id);
        Assert.Contains("1 syscall(s) do not exist on SCMP_ARCH_AARCH64", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicates_warn_and_contradictions_fail()
    {
        var found = Check(Profile("""
            {"names": ["read"], "action": "SCMP_ACT_ALLOW"},
            {"names": ["read"], "action": "SCMP_ACT_ALLOW"},
            {"names": ["write"], "action": "SCMP_ACT_ALLOW"},
            {"names": ["write"], "action": "SCMP_ACT_KILL"},
            {"names": ["ioctl"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 1, "value": 1, "op": "SCMP_CMP_EQ"}]},
            {"names": ["ioctl"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 1, "value": 2, "op": "SCMP_CMP_EQ"}]}
            """));
        Assert.Equal([DiagnosticId.DuplicateRule, DiagnosticId.ContradictoryRules], found.Select(d => d.Id));
        Assert.Contains("syscalls[2]", found[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ErrnoRet_needs_an_errno_action()
    {
        var found = Check("""{"defaultAction": "SCMP_ACT_KILL", "defaultErrnoRet": 1, "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"], "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW", "errnoRet": 1}]}""");
        Assert.Equal(2, found.Count(d => d.Id == DiagnosticId.ErrnoRetWithoutErrnoAction && d.Severity == Severity.Error));
    }

    [Theory]
    [InlineData("SCMP_ACT_ALLOW")]
    [InlineData("SCMP_ACT_LOG")]
    public void An_allowing_default_is_a_warning(string action)
    {
        var d = Assert.Single(Check($$"""{"defaultAction": "{{action}}", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"]}"""));
        Assert.Equal((DiagnosticId.AllowingDefaultAction, Severity.Warning), (d.Id, d.Severity));
    }

    [Theory]
    [InlineData("\"SCMP_ARCH_X86_64\"", "SCMP_ARCH_X86, SCMP_ARCH_X32")]
    [InlineData("\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\"", "SCMP_ARCH_X32")]
    [InlineData("\"SCMP_ARCH_AARCH64\"", "SCMP_ARCH_ARM")]
    public void Missing_sub_architectures_are_named(string archs, string missing)
    {
        var d = Assert.Single(Check(Profile("""{"names": ["read"], "action": "SCMP_ACT_ALLOW"}""", archs: archs)));
        Assert.Equal(DiagnosticId.MissingSubArchitecture, d.Id);
        Assert.Contains("without " + missing + ":", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Findings_about_one_field_point_at_that_field()
    {
        var d = Assert.Single(SeccompValidator.Validate(Load.Seccomp("{\n  \"defaultAction\": \"SCMP_ACT_ERRNO\",\n  \"architectures\": [\"SCMP_ARCH_AARCH64\"]\n}")));
        Assert.Equal((DiagnosticId.MissingSubArchitecture, 3, 3), (d.Id, d.Origin.Line, d.Origin.Column));
        var spo = Load.File(Repo.Data("spo/baseprofile-runc.yaml")).OfType<SeccompDocument>().Single();
        Assert.Equal(8, Assert.Single(SeccompValidator.Validate(spo.Profile)).Origin.Line);
    }

    [Fact]
    public void Argument_and_listener_shape_is_checked()
    {
        var found = Check(Profile("""
            {"names": ["read"], "action": "SCMP_ACT_NOTIFY", "args": [{"index": 6, "value": 1, "op": "SCMP_CMP_EQ"}, {"index": 6, "value": 2, "op": "SCMP_CMP_NE"}]}
            """)).Select(d => d.Id).ToList();
        Assert.Contains(DiagnosticId.ArgumentIndexOutOfRange, found);
        Assert.Contains(DiagnosticId.DuplicateArgumentIndex, found);
        Assert.Contains(DiagnosticId.NotifyWithoutListener, found);
        Assert.Contains(DiagnosticId.ListenerWithoutNotify, Check(Profile("""{"names": ["read"], "action": "SCMP_ACT_ALLOW"}""", extra: ", \"listenerPath\": \"/x\"")).Select(d => d.Id));
    }

    [Fact]
    public void Docker_default_has_one_expected_finding()
    {
        // Docker lists sync_file_range2 for arm/arm64, where libseccomp's table calls that syscall arm_sync_file_range.
        var d = Assert.Single(SeccompValidator.Validate(Load.OneSeccomp(Repo.Data("seccomp/docker-default.json"))));
        Assert.Equal(DiagnosticId.SyscallNotOnArchitecture, d.Id);
        Assert.Contains("'sync_file_range2'", d.Message, StringComparison.Ordinal);
        Assert.Equal(559, d.Origin.Line);
    }

    [Fact]
    public void Containers_common_keeps_its_own_fields_and_has_the_same_arm_finding()
    {
        var bag = new DiagnosticBag();
        var profile = ((SeccompDocument)Load.File(Repo.Data("seccomp/containers-common.json"), bag)[0]).Profile;
        Assert.Equal(["defaultErrno", "syscalls[].errno"], bag.Items.Where(d => d.Id == DiagnosticId.UnknownField).Select(d => d.Message.Split('\'')[1]));
        var d = Assert.Single(SeccompValidator.Validate(profile));
        Assert.Equal(DiagnosticId.SyscallNotOnArchitecture, d.Id);
        Assert.Equal("ENOSYS", ((Profiles.Documents.DocScalar)Assert.Single(profile.Extra).Value).Text);
    }

    [Theory]
    [InlineData("spo/seccompprofile.yaml", "profile-block-all", new[] { DiagnosticId.NoArchitectures })]
    [InlineData("spo/seccompprofile.yaml", "profile-complain-unsafe", new[] { DiagnosticId.AllowingDefaultAction, DiagnosticId.NoArchitectures })]
    [InlineData("spo/seccompprofile.yaml", "profile-allow-unsafe", new[] { DiagnosticId.AllowingDefaultAction, DiagnosticId.NoArchitectures })]
    [InlineData("spo/seccompprofile.yaml", "profile-complain-block-high-risk", new[] { DiagnosticId.AllowingDefaultAction, DiagnosticId.MissingSubArchitecture, DiagnosticId.SyscallNotOnArchitecture, DiagnosticId.SyscallNotOnArchitecture, DiagnosticId.SyscallNotOnArchitecture, DiagnosticId.SyscallNotOnArchitecture })]
    [InlineData("spo/seccompprofile-allowed-syscalls-validation.yaml", "profile-allowed-syscalls", new[] { DiagnosticId.MissingSubArchitecture })]
    [InlineData("spo/seccompprofile-allowed-syscalls-validation.yaml", "profile-denied-syscalls", new[] { DiagnosticId.MissingSubArchitecture, DiagnosticId.RuleSameAsDefault })]
    [InlineData("spo/baseprofile-runc.yaml", "runc-v1.4.2", new[] { DiagnosticId.MissingSubArchitecture })]
    [InlineData("spo/baseprofile-crun.yaml", "crun-v1.26", new[] { DiagnosticId.MissingSubArchitecture })]
    public void Spo_examples_have_the_expected_findings(string file, string name, DiagnosticId[] expected)
    {
        var doc = Load.File(Repo.Data(file)).OfType<SeccompDocument>().Single(d => d.Name == name);
        Assert.Equal(expected, SeccompValidator.Validate(doc.Profile).Select(d => d.Id));
    }

    [Fact]
    public void A_rule_including_an_architecture_the_profile_does_not_list_is_checked_without_failing()
    {
        // Found by the fuzz test: includes.arches names arm64 while the profile lists only x86_64 and has no archMap.
        var p = Load.Seccomp("""
            {"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"],
             "syscalls": [{"names": ["open"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["arm64"]}}]}
            """);
        var findings = SeccompValidator.Validate(p);
        Assert.DoesNotContain(findings, d => d.Severity == Severity.Error);
        Assert.Contains(findings, d => d.Id == DiagnosticId.MissingSubArchitecture);
    }
}
