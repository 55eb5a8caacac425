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
