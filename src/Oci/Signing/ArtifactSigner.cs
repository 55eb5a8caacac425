using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Portcullis.Oci.Model;
using Portcullis.Oci.References;

namespace Portcullis.Oci.Signing;

/// <summary>Signs profile artifacts and verifies their signatures (format: <see cref="SignatureFormat"/>).</summary>
public sealed class ArtifactSigner(RegistryClient client)
{
    private static readonly byte[] EmptyConfig = "{}"u8.ToArray();

    /// <summary>Reads an ECDSA P-256 key from PEM (EC PRIVATE KEY, PRIVATE KEY or PUBLIC KEY).</summary>
    public static ECDsa LoadKey(string pemPath)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(File.ReadAllText(pemPath));
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException or IOException or UnauthorizedAccessException)
        {
            key.Dispose();
            throw new OciException($"{pemPath}: not a readable PEM ECDSA key ({e.Message.Split('.')[0]})");
        }
        if (key.KeySize != 256)
        {
            key.Dispose();
            throw new OciException($"{pemPath}: an ECDSA P-256 key is required (this one has {key.KeySize} bits)");
        }
        return key;
    }

    /// <summary>Signs <paramref name="artifact"/>, a profile attached to the image manifest <paramref name="subject"/>.</summary>
    public async Task<Descriptor> SignAsync(ImageReference repo, Descriptor artifact, Digest subject, ECDsa key, CancellationToken cancel = default)
    {
        var payload = new SimpleSigningPayload($"{repo.Registry}/{repo.Repository}", artifact.Digest.ToString(),
            "portcullis " + typeof(ArtifactSigner).Assembly.GetName().Version?.ToString(3), DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), subject.ToString()).ToBytes();
        var signature = key.SignData(payload, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

        var config = await client.PushBlobAsync(repo, EmptyConfig, MediaTypes.OciEmptyConfig, cancel).ConfigureAwait(false);
        var layer = await client.PushBlobAsync(repo, payload, SignatureFormat.PayloadMediaType, cancel).ConfigureAwait(false);
        var manifest = OciJson.Bytes(new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = MediaTypes.OciManifest,
            ["artifactType"] = SignatureFormat.ArtifactType,
            ["config"] = config.ToJson(),
            ["layers"] = new JsonArray((layer with { Annotations = new Dictionary<string, string> { [SignatureFormat.SignatureAnnotation] = Convert.ToBase64String(signature) } }).ToJson()),
            ["subject"] = (artifact with { ArtifactType = null, Annotations = new Dictionary<string, string>() }).ToJson(),
        });
        var digest = Digest.Sha256(manifest);
        var (_, subjectAccepted) = await client.PutManifestAsync(repo, digest.ToString(), manifest, MediaTypes.OciManifest, cancel).ConfigureAwait(false);
        var descriptor = new Descriptor(MediaTypes.OciManifest, digest, manifest.Length) { ArtifactType = SignatureFormat.ArtifactType };
        if (!subjectAccepted)
            await client.AddToReferrersTagAsync(repo, artifact.Digest, descriptor, cancel).ConfigureAwait(false);
        return descriptor;
    }

    public async Task<bool> IsSignedAsync(ImageReference repo, Descriptor artifact, CancellationToken cancel = default) =>
        (await client.ListReferrersAsync(repo, artifact.Digest, SignatureFormat.ArtifactType, cancel).ConfigureAwait(false)).Count > 0;

    /// <summary>True when some signature of <paramref name="artifact"/> verifies with one of <paramref name="keys"/> and names this repository, digest and image manifest.</summary>
    /// <remarks><paramref name="signedName"/>: the repository the signature must name, when it is reached under another address (a mirror).</remarks>
    public async Task<bool> VerifyAsync(ImageReference repo, Descriptor artifact, Digest subject, IReadOnlyList<ECDsa> keys, string? signedName = null, CancellationToken cancel = default)
    {
        foreach (var signature in await client.ListReferrersAsync(repo, artifact.Digest, SignatureFormat.ArtifactType, cancel).ConfigureAwait(false))
        {
            var manifest = await client.GetManifestAsync(repo with { Tag = null, Digest = signature.Digest }, cancel).ConfigureAwait(false);
            if (manifest.Json(signature.Digest.ToString())["layers"] is not JsonArray { Count: 1 } layers)
                continue;
            var layer = Descriptor.FromJson(layers[0]!, signature.Digest.ToString());
            if (layer.MediaType != SignatureFormat.PayloadMediaType || layer.Size > SignatureFormat.MaxPayloadBytes
                || !layer.Annotations.TryGetValue(SignatureFormat.SignatureAnnotation, out var encoded))
                continue;
            var payload = await client.PullBlobAsync(repo, layer.Digest, SignatureFormat.MaxPayloadBytes, cancel).ConfigureAwait(false);
            if (SimpleSigningPayload.TryParse(payload) is not { } statement
                || statement.ManifestDigest != artifact.Digest.ToString()
                || statement.DockerReference != (signedName ?? $"{repo.Registry}/{repo.Repository}")
                || statement.Subject != subject.ToString())
                continue;
            byte[] signatureBytes;
            try
            {
                signatureBytes = Convert.FromBase64String(encoded);
            }
            catch (FormatException)
            {
                continue;
            }
            if (keys.Any(k => k.VerifyData(payload, signatureBytes, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)))
                return true;
        }
        return false;
    }
}
