using Portcullis.Oci.References;
using Portcullis.Oci.Transport;

namespace Portcullis.Oci.Tests;

/// <summary>docker-registry in `auth: token` mode with a real JWT issuer on loopback.</summary>
public sealed class TokenAuthTests
{
    [Fact]
    public async Task The_bearer_flow_works_against_a_real_token_registry()
    {
        using var issuer = new TokenIssuer("portcullis", "token-pass-" + Guid.NewGuid().ToString("N")[..6]);
        using var registry = LocalRegistry.StartWithTokenAuth(issuer);
        var image = ImageReference.Parse($"{registry.Host}/secure/app:v1");

        using var client = new RegistryClient(new RegistryOptions { Credentials = r => r == registry.Host ? new RegistryCredentials(issuer.User, issuer.Password) : null });
        var pushed = await TestImages.PushImageAsync(client, image);
        Assert.Equal(pushed.Digest, (await client.GetManifestAsync(image, TestContext.Current.CancellationToken)).Digest);
        var issuedAfterFirstRound = issuer.Issued;
        await client.GetManifestAsync(image, TestContext.Current.CancellationToken);
        Assert.Equal(issuedAfterFirstRound, issuer.Issued);

        using var stranger = new RegistryClient(new RegistryOptions { Credentials = _ => new RegistryCredentials("someone", "else") });
        var e = await Assert.ThrowsAsync<OciException>(() => stranger.GetManifestAsync(image, TestContext.Current.CancellationToken));
        Assert.Contains("the token service", e.Message, StringComparison.Ordinal);
        Assert.Contains("HTTP 401", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("else", e.Message, StringComparison.Ordinal);
    }
}
