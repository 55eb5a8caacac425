using Portcullis.Oci.References;

namespace Portcullis.Oci.Tests;

public sealed class ImageReferenceTests
{
    private const string Sha = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("nginx", "docker.io", "library/nginx", "latest", null)]
    [InlineData("nginx:1.27", "docker.io", "library/nginx", "1.27", null)]
    [InlineData("bitnami/redis:7", "docker.io", "bitnami/redis", "7", null)]
    [InlineData("localhost/app", "localhost", "app", "latest", null)]
    [InlineData("localhost:5000/team/app:v1", "localhost:5000", "team/app", "v1", null)]
    [InlineData("127.0.0.1:5000/app@" + Sha, "127.0.0.1:5000", "app", null, Sha)]
    [InlineData("ghcr.io/org/app:v2@" + Sha, "ghcr.io", "org/app", "v2", Sha)]
    [InlineData("[::1]:5000/app", "[::1]:5000", "app", "latest", null)]
    public void References_are_normalised(string text, string registry, string repository, string? tag, string? digest)
    {
        var r = ImageReference.Parse(text);
        Assert.Equal((registry, repository, tag, digest), (r.Registry, r.Repository, r.Tag, r.Digest?.ToString()));
    }

    [Fact]
    public void Sha512_digests_are_accepted() =>
        Assert.Equal("sha512", ImageReference.Parse("app@sha512:" + new string('a', 128)).Digest!.Algorithm);

    [Theory]
    [InlineData("")]
    [InlineData("App")]
    [InlineData("app:-bad")]
    [InlineData("app@sha256:abc")]
    [InlineData("app@md5:0123456789abcdef0123456789abcdef")]
    [InlineData("registry.io/")]
    [InlineData("a//b")]
    public void Invalid_references_are_refused_with_a_reason(string text)
    {
        var e = Assert.Throws<OciException>(() => ImageReference.Parse(text));
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void The_referrers_tag_is_algorithm_dash_hex() =>
        Assert.Equal("sha256-" + Sha[7..], Digest.Parse(Sha).ReferrersTag);
}
