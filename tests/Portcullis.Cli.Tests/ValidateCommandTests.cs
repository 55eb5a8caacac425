using System.Text.Json;

namespace Portcullis.Cli.Tests;

public sealed class ValidateCommandTests
{
    [Fact]
    public void The_real_profiles_validate()
    {
        var run = CliRun.Of("validate", Repo.Data("seccomp/docker-default.json"), Repo.Data("seccomp/containers-common.json"), Repo.Data("spo/seccompprofile.yaml"), Repo.Data("spo/apparmorprofile-sleep-crun.yaml"));
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("docker-default.json: seccomp 'docker-default.json': 0 error(s), 1 warning(s)", run.Out, StringComparison.Ordinal);
        Assert.Contains("seccompprofile.yaml: seccomp 'profile-block-all', seccomp 'profile-complain-unsafe', seccomp 'profile-allow-unsafe', seccomp 'profile-complain-block-high-risk': 0 error(s), 8 warning(s)", run.Out, StringComparison.Ordinal);
        Assert.Contains("apparmor 'test-recording-test-pod': 0 error(s), 0 warning(s)", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void An_error_fails_with_a_line_naming_file_line_and_column()
    {
        using var dir = new TempDir();
        var file = dir.File("p.json", "{\n  \"defaultAction\": \"SCMP_ACT_ERRNO\",\n  \"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\", \"SCMP_ARCH_X32\"],\n  \"syscalls\": [{\"names\": [\"read\", \"opne\"], \"action\": \"SCMP_ACT_ALLOW\"}]\n}\n");
        var run = CliRun.Of("validate", file);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"PCL2001: syscalls[0].names[1]: unknown syscall 'opne' (did you mean 'open'?): runc and crun skip names they cannot resolve, so this rule does nothing for it ({file}:4:35)", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Warnings_fail_only_when_asked()
    {
        var file = Repo.Data("spo/baseprofile-runc.yaml");
        Assert.Equal(0, CliRun.Of("validate", file).ExitCode);
        Assert.Equal(1, CliRun.Of("validate", "-W", file).ExitCode);
    }

    [Fact]
    public void Json_output_lists_every_finding_with_its_place()
    {
        var run = CliRun.Of("validate", "--json", Repo.Data("spo/seccompprofile.yaml"));
        using var json = JsonDocument.Parse(run.Out);
        var file = json.RootElement.GetProperty("files")[0];
        Assert.Equal(4, file.GetProperty("documents").GetArrayLength());
        var warning = file.GetProperty("diagnostics").EnumerateArray().First(d => d.GetProperty("code").GetString() == "PCL2006");
        Assert.Equal("warning", warning.GetProperty("severity").GetString());
        Assert.Equal(18, warning.GetProperty("line").GetInt32());
        Assert.Equal(8, json.RootElement.GetProperty("warnings").GetInt32());
    }

    [Fact]
    public void A_document_is_picked_by_name()
    {
        var run = CliRun.Of("validate", Repo.Data("spo/seccompprofile.yaml") + "#profile-allow-unsafe");
        Assert.Contains("seccomp 'profile-allow-unsafe': 0 error(s), 1 warning(s)", run.Out, StringComparison.Ordinal);
        Assert.Equal(1, CliRun.Of("validate", Repo.Data("spo/seccompprofile.yaml") + "#nope").ExitCode);
    }

    [Fact]
    public void The_real_apparmor_parser_checks_what_the_model_cannot()
    {
        Requires.Tool("apparmor_parser", "apparmor");
        using var dir = new TempDir();
        Assert.Equal(0, CliRun.Of("validate", "--apparmor-parser", Repo.Data("spo/apparmorprofile-sleep-crun.yaml")).ExitCode);

        // A variable nobody defines parses in our model but apparmor_parser refuses it.
        var bad = dir.File("bad.profile", "include <tunables/global>\nprofile x {\n  @{NOPE}/x r,\n}\n");
        Assert.Equal(0, CliRun.Of("validate", bad).ExitCode);
        var run = CliRun.Of("validate", "--apparmor-parser", bad);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("PCL3006: apparmor_parser:", run.Out, StringComparison.Ordinal);
        Assert.Contains("NOPE", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Base_profiles_are_resolved_from_given_files()
    {
        using var dir = new TempDir();
        var app = dir.File("app.yaml", SpoFixtures.AppOnBase("runc-v1.4.2"));
        var missing = CliRun.Of("validate", app);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("PCL1013: spec.baseProfileName: base profile 'runc-v1.4.2' was not found", missing.Out, StringComparison.Ordinal);
        Assert.Equal(0, CliRun.Of("validate", app, "--base", Repo.Data("spo/baseprofile-runc.yaml")).ExitCode);
    }
}
