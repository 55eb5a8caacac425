using Microsoft.Extensions.Time.Testing;
using Portcullis.Oci;
using Portcullis.Oci.Transport;
using Portcullis.Runtime.Hosting;
using Portcullis.Runtime.Registry;

namespace Portcullis.Runtime.Tests;

/// <summary>Image → digest → profiles against the real registry of the webhook lab.</summary>
public sealed class ImageResolutionTests(WebhookLab lab) : IClassFixture<WebhookLab>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_registry_reached_through_a_mirror_keeps_the_name_pods_use()
    {
        using var clients = new RegistryClientPool(new RegistryOptions());
        var options = new RuntimeOptions { RegistryMirrors = new Dictionary<string, string> { ["localhost:5001"] = lab.Registry } };
        var resolver = new ImageProfileResolver(clients, options, new FakeTimeProvider());

        var resolved = await resolver.ResolveAsync("localhost:5001/shop/checkout:1.0", PullCredentials.None, Cancel);
        Assert.Equal($"localhost:5001/shop/checkout@{lab.CheckoutDigest}", resolved.Pinned.ToString());
        Assert.Equal($"localhost:5001/shop/checkout@{lab.CheckoutSeccompArtifact}", resolved.Seccomp!.ArtifactReference);
        Assert.NotNull(resolved.AppArmor);
    }

    [Fact]
    public async Task An_image_without_profiles_resolves_to_nothing_and_a_missing_tag_is_an_error()
    {
        using var clients = new RegistryClientPool(new RegistryOptions());
        var resolver = new ImageProfileResolver(clients, new RuntimeOptions(), new FakeTimeProvider());
        var plain = await resolver.ResolveAsync($"{lab.Registry}/shop/proxy:2.0", PullCredentials.None, Cancel);
        Assert.Equal((null, null), (plain.Seccomp, plain.AppArmor));
        await Assert.ThrowsAsync<OciException>(() => resolver.ResolveAsync($"{lab.Registry}/shop/proxy:9.9", PullCredentials.None, Cancel));
    }

    [Fact]
    public async Task Pods_admitted_side_by_side_share_one_lookup_per_image()
    {
        using var counter = new CountingHandler();
        using var clients = new RegistryClientPool(new RegistryOptions(), counter);
        var resolver = new ImageProfileResolver(clients, new RuntimeOptions(), new FakeTimeProvider());
        var image = $"{lab.Registry}/shop/checkout@{lab.CheckoutDigest}";

        var all = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => resolver.ResolveAsync(image, PullCredentials.None, Cancel)));
        Assert.All(all, r => Assert.Equal(lab.CheckoutSeccompArtifact, r.Seccomp!.Artifact));
        Assert.Equal(1, counter.Count($"/manifests/{lab.CheckoutDigest}"));
    }

    [Fact]
    public async Task Lookups_and_their_cache_are_never_shared_between_credential_sets()
    {
        using var counter = new CountingHandler();
        using var clients = new RegistryClientPool(new RegistryOptions(), counter);
        var resolver = new ImageProfileResolver(clients, new RuntimeOptions(), new FakeTimeProvider());
        var image = $"{lab.Registry}/shop/checkout@{lab.CheckoutDigest}";
        var other = new PullCredentials(new Dictionary<string, RegistryCredentials> { [lab.Registry] = new("someone", "else") });

        await resolver.ResolveAsync(image, PullCredentials.None, Cancel);
        await resolver.ResolveAsync(image, other, Cancel);
        await resolver.ResolveAsync(image, other, Cancel);
        Assert.Equal(2, counter.Count($"/manifests/{lab.CheckoutDigest}"));
    }

    [Fact]
    public void A_credential_fingerprint_is_keyed_by_the_process_not_a_plain_hash_of_the_secret()
    {
        var credentials = new PullCredentials(new Dictionary<string, RegistryCredentials> { ["r.example"] = new("u", "p") });
        var plain = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("r.example\0u\0p"u8));
        Assert.NotEqual(plain, credentials.Key);
        Assert.Equal(credentials.Key, new PullCredentials(new Dictionary<string, RegistryCredentials> { ["r.example"] = new("u", "p") }).Key);
    }

    private sealed class CountingHandler() : DelegatingHandler(new SocketsHttpHandler())
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _paths = new();

        public int Count(string suffix) => _paths.Count(p => p.EndsWith(suffix, StringComparison.Ordinal));

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            _paths.Enqueue(request.RequestUri!.AbsolutePath);
            return base.SendAsync(request, cancellationToken);
        }
    }

    [Fact]
    public void Pull_secrets_in_both_formats_give_credentials_for_the_registry_they_name_and_no_other()
    {
        var json = new k8s.Models.V1Secret { Type = "kubernetes.io/dockerconfigjson", Data = new Dictionary<string, byte[]> { [".dockerconfigjson"] = "{\"auths\":{\"https://index.docker.io/v1/\":{\"username\":\"u\",\"password\":\"p\"}}}"u8.ToArray() } };
        var legacy = new k8s.Models.V1Secret { Type = "kubernetes.io/dockercfg", Data = new Dictionary<string, byte[]> { [".dockercfg"] = "{\"r.example:5000\":{\"auth\":\"YTpi\"}}"u8.ToArray() } };
        var broken = new k8s.Models.V1Secret { Type = "kubernetes.io/dockerconfigjson", Data = new Dictionary<string, byte[]> { [".dockerconfigjson"] = "{not json"u8.ToArray() } };
        var credentials = PullSecretReader.Read([broken, json, legacy]);
        Assert.Equal("u", credentials.For("docker.io")!.Username);
        Assert.Equal(("a", "b"), (credentials.For("r.example:5000")!.Username, credentials.For("r.example:5000")!.Password));
        Assert.Null(credentials.For("r.example"));
        Assert.NotEqual(credentials.Key, PullSecretReader.Read([legacy]).Key);

        var mirrored = credentials.WithMirrors(new Dictionary<string, string> { ["r.example:5000"] = "mirror.internal:5000" });
        Assert.Equal("a", mirrored.For("mirror.internal:5000")!.Username);
        Assert.Equal("u", mirrored.For("docker.io")!.Username);
        Assert.Null(credentials.For("mirror.internal:5000"));
    }
}
