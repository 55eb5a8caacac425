using System.Text.Json;

namespace Portcullis.Cli.Tests;

public sealed class ConvertMergeDiffStatsTests
{
    [Theory]
    [InlineData("seccomp/docker-default.json")]
    [InlineData("seccomp/containers-common.json")]
    [InlineData("spo/baseprofile-runc.yaml")]
    [InlineData("spo/baseprofile-crun.yaml")]
    public void Seccomp_profiles_convert_both_ways_without_changing_what_is_enforced(string file)
    {
        using var dir = new TempDir();
        var spo = dir.File("p.yaml");
        var oci = dir.File("p.json");
        Assert.Equal(0, CliRun.Of("convert", Repo.Data(file), "--to", "spo", "--name", "p", "-o", spo).ExitCode);
        Assert.StartsWith("---\napiVersion: security-profiles-operator.x-k8s.io/v1\nkind: SeccompProfile\nmetadata:\n  name: p\n", File.ReadAllText(spo), StringComparison.Ordinal);
        Assert.Equal(0, CliRun.Of("convert", spo, "--to", "oci", "-o", oci).ExitCode);
        var diff = CliRun.Of("diff", Repo.Data(file), oci, "--exit-code");
        Assert.Equal("no differences\n", diff.Out);
        Assert.Equal(0, diff.ExitCode);
    }

    [Fact]
    public void Each_spo_document_converts_to_oci_by_name()
    {
        var run = CliRun.Of("convert", Repo.Data("spo/seccompprofile.yaml") + "#profile-complain-block-high-risk", "--to", "oci");
        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal("SCMP_ACT_LOG", json.RootElement.GetProperty("defaultAction").GetString());

        var ambiguous = CliRun.Of("convert", Repo.Data("spo/seccompprofile.yaml"), "--to", "oci");
        Assert.Equal(1, ambiguous.ExitCode);
        Assert.Contains("PCL1017", ambiguous.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Converting_to_oci_resolves_the_base_profile()
    {
        using var dir = new TempDir();
        var app = dir.File("app.yaml", SpoFixtures.AppOnBase("crun-v1.26"));
        var run = CliRun.Of("convert", app, "--to", "oci", "--base", Repo.Data("spo/baseprofile-crun.yaml"));
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("\"uname\"", run.Out, StringComparison.Ordinal);
        Assert.Contains("\"pivot_root\"", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void AppArmor_converts_from_spo_to_policy_and_back()
    {
        using var dir = new TempDir();
        var policy = dir.File("a.profile");
        Assert.Equal(0, CliRun.Of("convert", Repo.Data("spo/apparmorprofile-sleep-crun.yaml"), "--to", "apparmor", "-o", policy).ExitCode);
        Assert.Contains("profile test-recording-test-pod {", File.ReadAllText(policy), StringComparison.Ordinal);
        var back = CliRun.Of("convert", policy, "--to", "spo");
        Assert.Equal(0, back.ExitCode);
        Assert.Equal("", back.Err);
        Assert.Contains("      - /bin/busybox\n", back.Out, StringComparison.Ordinal);
        Assert.Contains("      - sys_admin\n", back.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Converting_across_kinds_is_refused() =>
        Assert.Contains("PCL4005", CliRun.Of("convert", Repo.Data("seccomp/docker-default.json"), "--to", "apparmor").Err, StringComparison.Ordinal);

    [Fact]
    public void Merge_of_one_input_is_canonical_and_stable()
    {
        using var dir = new TempDir();
        var once = dir.File("once.json");
        var twice = dir.File("twice.json");
        Assert.Equal(0, CliRun.Of("merge", Repo.Data("seccomp/containers-common.json"), "-o", once).ExitCode);
        Assert.Equal(0, CliRun.Of("merge", once, "-o", twice).ExitCode);
        Assert.Equal(File.ReadAllBytes(once), File.ReadAllBytes(twice));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }

    [Fact]
    public void Merge_unions_profiles_and_keeps_spo_format()
    {
        var run = CliRun.Of("merge", Repo.Data("spo/baseprofile-runc.yaml"), Repo.Data("spo/baseprofile-crun.yaml"), "--name", "runtimes");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("name: runtimes", run.Out, StringComparison.Ordinal);
        Assert.Contains("- pivot_root", run.Out, StringComparison.Ordinal);
        Assert.Contains("- capget", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Diff_shows_changes_and_can_fail_on_them()
    {
        var a = Repo.Data("spo/baseprofile-runc.yaml");
        var b = Repo.Data("spo/baseprofile-crun.yaml");
        var text = CliRun.Of("diff", a, b);
        Assert.Equal(0, text.ExitCode);
        Assert.Contains("SCMP_ARCH_X86_64:\n", text.Out, StringComparison.Ordinal);
        Assert.Matches(@"\n  \+ pivot_root +SCMP_ACT_ALLOW\n", text.Out);
        Assert.Matches(@"\n  - capget +was SCMP_ACT_ALLOW\n", text.Out);
        Assert.Equal(1, CliRun.Of("diff", a, b, "--exit-code").ExitCode);

        using var json = JsonDocument.Parse(CliRun.Of("diff", a, b, "--json").Out);
        var x64 = json.RootElement.GetProperty("architectures")[0];
        Assert.Contains(x64.GetProperty("added").EnumerateArray(), e => e.GetProperty("name").GetString() == "pivot_root");
        Assert.False(json.RootElement.GetProperty("identical").GetBoolean());
    }

    [Fact]
    public void Stats_compare_with_docker_default()
    {
        var run = CliRun.Of("stats", Repo.Data("spo/baseprofile-runc.yaml"));
        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"SCMP_ARCH_X86_64 +40 +0 +306 +13%", run.Out);

        using var json = JsonDocument.Parse(CliRun.Of("stats", Repo.Data("seccomp/docker-default.json"), "--json").Out);
        var first = json.RootElement.GetProperty("architectures")[0];
        Assert.Equal(first.GetProperty("referenceAllowed").GetInt32(), first.GetProperty("allowed").GetInt32());
    }

    [Fact]
    public void Renaming_keeps_labels_and_annotations()
    {
        var run = CliRun.Of("convert", Repo.Data("spo/apparmorprofile-sleep-crun.yaml"), "--to", "spo", "--name", "Sleep Profile");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("  name: sleep-profile\n", run.Out, StringComparison.Ordinal);
        Assert.Contains("spo.x-k8s.io/recording-id: test-recording", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Spo_findings_name_the_field_as_written_in_the_resource()
    {
        var run = CliRun.Of("validate", Repo.Data("spo/seccompprofile.yaml") + "#profile-allow-unsafe");
        Assert.Contains("warning PCL2006: spec.defaultAction:", run.Out, StringComparison.Ordinal);
    }
}
