namespace Portcullis.Cli.Tests;

/// <summary>push, discover and pull against a real docker-registry holding an image skopeo pushed.</summary>
public sealed class RegistryCommandTests : IDisposable
{
    private readonly LocalRegistry _registry = LocalRegistry.Start();

    public void Dispose() => _registry.Dispose();

    [Fact]
    public void A_profile_goes_to_the_registry_and_comes_back()
    {
        var image = ScratchImage.Push(_registry, "shop/todo:1.4");
        using var dir = new TempDir();

        var push = CliRun.Of("push", Repo.Data("spo/baseprofile-runc.yaml"), "--to", image, "--sources", "base");
        Assert.True(push.ExitCode == 0, push.Err);
        Assert.StartsWith($"{_registry.Host}/shop/todo@sha256:", push.Out, StringComparison.Ordinal);
        Assert.Equal(0, CliRun.Of("push", Repo.Data("spo/apparmorprofile-sleep-crun.yaml"), "--to", image).ExitCode);

        var discover = CliRun.Of("discover", image);
        Assert.Equal(0, discover.ExitCode);
        Assert.Matches(@"\nseccomp +sha256:\S+ +\d+ +20\d\d-\S+ +- +no +base\n", discover.Out);
        Assert.Contains("\napparmor ", discover.Out, StringComparison.Ordinal);

        var seccomp = dir.File("seccomp.json");
        var pull = CliRun.Of("pull", image, "-o", seccomp);
        Assert.True(pull.ExitCode == 0, pull.Err);
        Assert.Equal("no differences\n", CliRun.Of("diff", Repo.Data("spo/baseprofile-runc.yaml"), seccomp).Out);
        var apparmor = dir.File("app.profile");
        Assert.Equal(0, CliRun.Of("pull", image, "--kind", "apparmor", "-o", apparmor).ExitCode);
        Assert.Contains("profile test-recording-test-pod {", File.ReadAllText(apparmor), StringComparison.Ordinal);
    }

    private static readonly string[] AppNames = ["read", "write", "exit_group", "setuid"];
    private static readonly string[] IdentitySwitch = ["setgid", "setgroups", "capset"];

    [Fact]
    public void Pull_with_a_runtime_writes_the_variant_a_node_agent_would_and_the_union_for_an_unprobed_runtime()
    {
        var image = ScratchImage.Push(_registry, "shop/variants:1");
        using var dir = new TempDir();
        // A generated profile: the app needs read, write, exit_group and setuid; the rest of the runtime base is runtime-only.
        var generated = Portcullis.Profiles.Generation.SeccompGenerator.Generate(new Portcullis.Profiles.Generation.GenerationRequest
        {
            Evidence = [.. AppNames.Select(n => new Portcullis.Profiles.Generation.SyscallEvidence(n, Portcullis.Profiles.Generation.SourceKind.Predicted, "test"))],
            Targets = [Portcullis.Profiles.Seccomp.SeccompArch.X86_64],
        }, new Portcullis.Profiles.Diagnostics.DiagnosticBag()).Profile;
        var file = dir.File("seccomp.json", System.Text.Encoding.UTF8.GetString(Portcullis.Profiles.Documents.DocJsonWriter.Write(Portcullis.Profiles.Seccomp.SeccompWriter.ToDoc(generated))));
        Assert.Equal(0, CliRun.Of("push", file, "--to", image).ExitCode);
        HashSet<string> Pulled(params string[] extra)
        {
            var output = dir.File(Guid.NewGuid().ToString("N") + ".json");
            var run = CliRun.Of(["pull", image, "-o", output, .. extra]);
            Assert.True(run.ExitCode == 0, run.Err);
            var profile = Portcullis.Profiles.Seccomp.UntrustedSeccomp.Read(File.ReadAllBytes(output), output);
            return Portcullis.Profiles.Seccomp.EffectiveView.Of(profile, Portcullis.Profiles.Seccomp.SeccompArch.X86_64).Allowed().ToHashSet();
        }

        var union = Pulled();
        var nnp = Pulled("--runtime", "runc/1.1.5", "--no-new-privileges");
        var privileged = Pulled("--runtime", "runc/1.1.5");
        foreach (var name in IdentitySwitch)
        {
            Assert.Contains(name, union);
            Assert.Contains(name, privileged);
            Assert.DoesNotContain(name, nnp);
        }
        Assert.Contains("setuid", nnp); // the app's own
        Assert.True(nnp.Count < privileged.Count && privileged.Count < union.Count, $"{nnp.Count} < {privileged.Count} < {union.Count}");
        Assert.Equal(union, Pulled("--runtime", "runc/1.4.2", "--no-new-privileges"));
        var unprobed = CliRun.Of("pull", image, "-o", dir.File("x.json"), "--runtime", "runc/1.4.2");
        Assert.Contains("PCL4006", unprobed.Err, StringComparison.Ordinal);
        var misuse = CliRun.Of("pull", image, "-o", dir.File("y.json"), "--no-new-privileges");
        Assert.Equal(2, misuse.ExitCode);
        Assert.Contains("--runtime", misuse.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Signed_profiles_verify_with_the_public_key_only()
    {
        var image = ScratchImage.Push(_registry, "shop/signed:1");
        using var dir = new TempDir();
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        using var other = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var privateKey = dir.File("cosign.key.pem", key.ExportPkcs8PrivateKeyPem());
        var publicKey = dir.File("cosign.pub", key.ExportSubjectPublicKeyInfoPem());
        var otherKey = dir.File("other.pub", other.ExportSubjectPublicKeyInfoPem());

        var push = CliRun.Of("push", Repo.Data("spo/baseprofile-crun.yaml"), "--to", image, "--sign", privateKey);
        Assert.True(push.ExitCode == 0, push.Err);
        Assert.EndsWith(" (signed)\n", push.Out, StringComparison.Ordinal);
        Assert.Matches(@"\nseccomp .* yes +manual\n", CliRun.Of("discover", image).Out);

        var output = dir.File("seccomp.json");
        Assert.Equal(0, CliRun.Of("pull", image, "--verify", publicKey, "-o", output).ExitCode);
        File.Delete(output);
        var refused = CliRun.Of("pull", image, "--verify", otherKey, "-o", output);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("no signature verifies with the given key(s)", refused.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Registry_failures_are_one_coded_line_and_write_nothing()
    {
        using var dir = new TempDir();
        var output = dir.File("out.json");
        var run = CliRun.Of("pull", $"{_registry.Host}/shop/absent:1", "-o", output);
        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"PCL6001: {_registry.Host}/shop/absent: manifest 1 not found", Assert.Single(run.ErrLines));
        Assert.False(File.Exists(output));
        var bad = CliRun.Of("pull", "Not A Reference", "-o", output);
        Assert.Equal(1, bad.ExitCode);
        Assert.StartsWith("PCL6001: 'Not A Reference'", Assert.Single(bad.ErrLines), StringComparison.Ordinal);
    }
}
