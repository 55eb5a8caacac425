using Portcullis.Oci.References;
using Portcullis.Oci.Transport;

namespace Portcullis.Oci.Tests;

public sealed class BasicAuthTests
{
    [Fact]
    public async Task Credentials_are_sent_after_the_challenge_and_required()
    {
        using var registry = LocalRegistry.Start(basicAuth: true);
        var (user, password) = registry.Basic!.Value;
        var image = ImageReference.Parse($"{registry.Host}/private/app:v1");

        using var anonymous = new RegistryClient(new RegistryOptions { Credentials = _ => null });
        var e = await Assert.ThrowsAsync<OciException>(() => anonymous.GetManifestAsync(image, TestContext.Current.CancellationToken));
        Assert.Contains($"{registry.Host}/private/app", e.Message, StringComparison.Ordinal);
        Assert.Contains("HTTP 401 UNAUTHORIZED", e.Message, StringComparison.Ordinal);

        using var client = new RegistryClient(new RegistryOptions { Credentials = r => r == registry.Host ? new RegistryCredentials(user, password) : null });
        var pushed = await TestImages.PushImageAsync(client, image);
        Assert.Equal(pushed.Digest, (await client.GetManifestAsync(image, TestContext.Current.CancellationToken)).Digest);

        using var wrong = new RegistryClient(new RegistryOptions { Credentials = _ => new RegistryCredentials(user, "wrong") });
        var denied = await Assert.ThrowsAsync<OciException>(() => wrong.GetManifestAsync(image, TestContext.Current.CancellationToken));
        Assert.DoesNotContain("wrong", denied.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(password, denied.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Credential_helpers_are_asked_per_registry_and_credsStore_otherwise()
    {
        var dir = Directory.CreateTempSubdirectory("portcullis-creds-").FullName;
        var path = Environment.GetEnvironmentVariable("PATH");
        try
        {
            // Real helper protocol: `docker-credential-NAME get`, server URL on stdin, JSON on stdout.
            foreach (var (name, user) in new[] { ("portcullistest", "from-helper"), ("portcullisstore", "from-store") })
            {
                var helper = Path.Combine(dir, "docker-credential-" + name);
                File.WriteAllText(helper, $$"""
                    #!/bin/sh
                    read server
                    printf '{"ServerURL":"%s","Username":"{{user}}","Secret":"pw-%s"}' "$server" "$server"

                    """);
                File.SetUnixFileMode(helper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            var config = Path.Combine(dir, "config.json");
            File.WriteAllText(config, """{"credHelpers":{"registry.example":"portcullistest"},"credsStore":"portcullisstore"}""");
            Environment.SetEnvironmentVariable("PATH", dir + ":" + path);

            var store = new DockerConfigCredentials(config);
            Assert.Equal(new RegistryCredentials("from-helper", "pw-registry.example"), store.Find("registry.example"));
            Assert.Equal(new RegistryCredentials("from-store", "pw-other.example"), store.Find("other.example"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("PATH", path);
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Docker_config_auths_are_read()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, """{"auths":{"registry.example:5000":{"auth":"dXNlcjpwYXNz"},"https://index.docker.io/v1/":{"username":"hub","password":"pw"}}}""");
            var store = new DockerConfigCredentials(file);
            Assert.Equal(new RegistryCredentials("user", "pass"), store.Find("registry.example:5000"));
            Assert.Equal(new RegistryCredentials("hub", "pw"), store.Find("docker.io"));
            Assert.Null(store.Find("other.example"));
            Assert.Equal("user:***", store.Find("registry.example:5000")!.ToString());
        }
        finally
        {
            File.Delete(file);
        }
    }
}
