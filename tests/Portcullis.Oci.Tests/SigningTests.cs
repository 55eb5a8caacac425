using System.Security.Cryptography;
using Portcullis.Oci.Artifacts;
using Portcullis.Oci.References;
using Portcullis.Oci.Signing;
using Portcullis.Oci.Transport;

namespace Portcullis.Oci.Tests;

public sealed class SigningTests : IDisposable
{
    private readonly LocalRegistry _registry = LocalRegistry.Start();
    private readonly RegistryClient _client = new(new RegistryOptions { Credentials = _ => null });

    public void Dispose()
    {
        _client.Dispose();
        _registry.Dispose();
    }

    private async Task<(ImageReference Image, Oci.Model.Descriptor Artifact, Digest Subject)> AttachAsync(string name, string tag = "v1")
    {
        var image = ImageReference.Parse($"{_registry.Host}/{name}:{tag}");
        await TestImages.PushImageAsync(_client, image);
        var (subject, artifact) = Assert.Single(await new ProfileArtifacts(_client).PushAsync(image, ProfileKind.Seccomp, """{"defaultAction":"SCMP_ACT_ERRNO"}"""u8.ToArray(), new Dictionary<string, string>(), TestContext.Current.CancellationToken));
        return (image, artifact, subject.Digest);
    }

    [Fact]
    public async Task A_signature_verifies_with_its_key_and_not_with_another()
    {
        var (image, artifact, subject) = await AttachAsync("signed/app");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var signer = new ArtifactSigner(_client);
        Assert.False(await signer.IsSignedAsync(image, artifact, TestContext.Current.CancellationToken));
        await signer.SignAsync(image, artifact, subject, key, TestContext.Current.CancellationToken);

        Assert.True(await signer.IsSignedAsync(image, artifact, TestContext.Current.CancellationToken));
        Assert.True(await signer.VerifyAsync(image, artifact, subject, [key], cancel: TestContext.Current.CancellationToken));
        Assert.True(await signer.VerifyAsync(image, artifact, subject, [other, key], cancel: TestContext.Current.CancellationToken));
        Assert.False(await signer.VerifyAsync(image, artifact, subject, [other], cancel: TestContext.Current.CancellationToken));

        // The signature is a referrer of the artifact, not of the image: the image's profiles are unchanged.
        Assert.Single(await new ProfileArtifacts(_client).DiscoverAsync(image, null, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_signature_for_another_artifact_does_not_verify_this_one()
    {
        var (image, first, subject) = await AttachAsync("swap/app");
        var (_, second) = Assert.Single(await new ProfileArtifacts(_client).PushAsync(image, ProfileKind.Seccomp, """{"defaultAction":"SCMP_ACT_KILL"}"""u8.ToArray(), new Dictionary<string, string>(), TestContext.Current.CancellationToken));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var signature = await new ArtifactSigner(_client).SignAsync(image, first, subject, key, TestContext.Current.CancellationToken);
        // Graft the first artifact's signature onto the second one's referrers.
        await _client.AddToReferrersTagAsync(image, second.Digest, signature, TestContext.Current.CancellationToken);
        Assert.False(await new ArtifactSigner(_client).VerifyAsync(image, second, subject, [key], cancel: TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_signed_profile_of_image_A_does_not_verify_for_image_B_of_the_same_repository()
    {
        var (imageA, artifact, subjectA) = await AttachAsync("pair/app", "a");
        var (imageB, _, subjectB) = await AttachAsync("pair/app", "b");
        Assert.NotEqual(subjectA, subjectB);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var signer = new ArtifactSigner(_client);
        await signer.SignAsync(imageA, artifact, subjectA, key, TestContext.Current.CancellationToken);
        Assert.True(await signer.VerifyAsync(imageA, artifact, subjectA, [key], cancel: TestContext.Current.CancellationToken));
        // The same artifact (same repository, valid signature) offered as image B's profile.
        Assert.False(await signer.VerifyAsync(imageB, artifact, subjectB, [key], cancel: TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Pull_refuses_an_artifact_whose_subject_is_another_image()
    {
        var (_, artifactA, _) = await AttachAsync("graft/app", "a");
        var (imageB, _, subjectB) = await AttachAsync("graft/app", "b");
        // Image A's artifact listed among image B's referrers (what a registry or an attacker with push rights could serve).
        await _client.AddToReferrersTagAsync(imageB, subjectB, artifactA with { Annotations = new Dictionary<string, string> { [ProfileArtifactFormat.Created] = "2099-01-01T00:00:00.000Z" } }, TestContext.Current.CancellationToken);
        var e = await Assert.ThrowsAsync<OciException>(() => new ProfileArtifacts(_client).PullAsync(imageB, ProfileKind.Seccomp, null, TestContext.Current.CancellationToken));
        Assert.Contains("names subject", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_are_read_from_pem_and_must_be_p256()
    {
        var dir = Directory.CreateTempSubdirectory("portcullis-keys-").FullName;
        try
        {
            using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            File.WriteAllText(Path.Combine(dir, "k.pem"), p256.ExportPkcs8PrivateKeyPem());
            File.WriteAllText(Path.Combine(dir, "k.pub"), p256.ExportSubjectPublicKeyInfoPem());
            using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
            File.WriteAllText(Path.Combine(dir, "big.pem"), p384.ExportPkcs8PrivateKeyPem());
            File.WriteAllText(Path.Combine(dir, "junk.pem"), "not a key");

            using var loaded = ArtifactSigner.LoadKey(Path.Combine(dir, "k.pem"));
            using var pub = ArtifactSigner.LoadKey(Path.Combine(dir, "k.pub"));
            var data = "x"u8.ToArray();
            Assert.True(pub.VerifyData(data, loaded.SignData(data, HashAlgorithmName.SHA256), HashAlgorithmName.SHA256));
            Assert.Contains("P-256", Assert.Throws<OciException>(() => ArtifactSigner.LoadKey(Path.Combine(dir, "big.pem"))).Message, StringComparison.Ordinal);
            Assert.Contains("not a readable PEM", Assert.Throws<OciException>(() => ArtifactSigner.LoadKey(Path.Combine(dir, "junk.pem"))).Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
