using System.Globalization;
using System.Text.Json.Nodes;
using Portcullis.Oci.Model;
using Portcullis.Oci.References;

namespace Portcullis.Oci.Artifacts;

/// <summary>Pushes profiles as referrers of an image, finds them, and pulls the newest one back.</summary>
public sealed class ProfileArtifacts(RegistryClient client)
{
    private static readonly byte[] EmptyConfig = "{}"u8.ToArray();

    /// <summary>
    /// Attaches <paramref name="profile"/> to <paramref name="image"/>: to the image manifest, or to every
    /// platform manifest of an index. Returns each artifact manifest with the image manifest it refers to. A
    /// manifest that already has this very profile attached keeps it (a re-publish of an unchanged image adds
    /// nothing).
    /// </summary>
    public async Task<IReadOnlyList<(Descriptor Subject, Descriptor Artifact)>> PushAsync(ImageReference image, ProfileKind kind, byte[] profile, IReadOnlyDictionary<string, string> annotations, CancellationToken cancel = default)
    {
        if (profile.Length > ProfileArtifactFormat.MaxProfileBytes)
            throw new OciException($"the profile is {profile.Length} bytes; artifacts hold at most {ProfileArtifactFormat.MaxProfileBytes}");
        var top = await client.GetManifestAsync(image, cancel).ConfigureAwait(false);
        var subjects = top.IsIndex ? top.Platforms(image.ToString()) : [top.Descriptor];
        var artifactType = ProfileArtifactFormat.ArtifactType(kind);

        var config = await client.PushBlobAsync(image, EmptyConfig, artifactType, cancel).ConfigureAwait(false);
        var layer = await client.PushBlobAsync(image, profile, ProfileArtifactFormat.LayerMediaType, cancel).ConfigureAwait(false);
        var pushed = new List<(Descriptor, Descriptor)>();
        var profileDigest = layer.Digest.ToString();
        foreach (var subject in subjects)
        {
            var existing = (await client.ListReferrersAsync(image, subject.Digest, artifactType, cancel).ConfigureAwait(false))
                .FirstOrDefault(r => r.Annotations.GetValueOrDefault(ProfileArtifactFormat.ProfileDigest) == profileDigest);
            if (existing is not null)
            {
                pushed.Add((subject, existing));
                continue;
            }
            var all = new Dictionary<string, string>(annotations, StringComparer.Ordinal)
            {
                [ProfileArtifactFormat.ProfileDigest] = profileDigest,
                [ProfileArtifactFormat.Created] = annotations.TryGetValue(ProfileArtifactFormat.Created, out var c) ? c : DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
            };
            var manifest = new JsonObject
            {
                ["schemaVersion"] = 2,
                ["mediaType"] = MediaTypes.OciManifest,
                ["artifactType"] = artifactType,
                ["config"] = config.ToJson(),
                ["layers"] = new JsonArray((layer with { Annotations = new Dictionary<string, string> { [ProfileArtifactFormat.Title] = ProfileArtifactFormat.FileName(kind) } }).ToJson()),
                ["subject"] = (subject with { Platform = null }).ToJson(),
                ["annotations"] = new JsonObject(all.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value))),
            };
            var bytes = OciJson.Bytes(manifest);
            var digest = Digest.Sha256(bytes);
            var (_, subjectAccepted) = await client.PutManifestAsync(image, digest.ToString(), bytes, MediaTypes.OciManifest, cancel).ConfigureAwait(false);
            var descriptor = new Descriptor(MediaTypes.OciManifest, digest, bytes.Length) { ArtifactType = artifactType, Annotations = all };
            if (!subjectAccepted)
                await client.AddToReferrersTagAsync(image, subject.Digest, descriptor, cancel).ConfigureAwait(false);
            pushed.Add((subject, descriptor));
        }
        return pushed;
    }

    /// <summary>Every profile artifact of the image (of each platform manifest for an index), newest first.</summary>
    public async Task<IReadOnlyList<(Descriptor Subject, Descriptor Artifact)>> DiscoverAsync(ImageReference image, ProfileKind? kind, CancellationToken cancel = default)
    {
        var top = await client.GetManifestAsync(image, cancel).ConfigureAwait(false);
        var subjects = top.IsIndex ? top.Platforms(image.ToString()) : [top.Descriptor];
        var found = new List<(Descriptor, Descriptor)>();
        foreach (var subject in subjects)
        {
            var referrers = await client.ListReferrersAsync(image, subject.Digest, kind is null ? null : ProfileArtifactFormat.ArtifactType(kind.Value), cancel).ConfigureAwait(false);
            found.AddRange(referrers.Where(r => r.ArtifactType is ProfileArtifactFormat.SeccompType or ProfileArtifactFormat.AppArmorType).Select(r => (subject, r)));
        }
        return found.OrderByDescending(f => f.Item2.Annotations.GetValueOrDefault(ProfileArtifactFormat.Created, ""), StringComparer.Ordinal).ToList();
    }

    /// <summary>The newest profile of <paramref name="kind"/> for the image (for an index: the platform given, e.g. linux/amd64).</summary>
    public async Task<PulledProfile> PullAsync(ImageReference image, ProfileKind kind, string? platform = null, CancellationToken cancel = default)
    {
        var all = await DiscoverAsync(image, kind, cancel).ConfigureAwait(false);
        var (subject, artifact) = all.FirstOrDefault(a => platform is null || a.Subject.Platform is null || a.Subject.Platform == platform);
        if (artifact is null)
            throw new OciException($"{image}: no {kind.ToString().ToLowerInvariant()} profile is attached{(platform is null ? "" : " for " + platform)}");

        return await PullArtifactAsync(image, kind, artifact, subject, cancel).ConfigureAwait(false);
    }

    /// <summary>
    /// The profile in one artifact, checked: an OCI manifest of the <paramref name="kind"/>'s config type whose
    /// subject is <paramref name="subject"/>, with exactly one layer of the profile media type and at most 1 MiB,
    /// whose bytes match its digest.
    /// </summary>
    public async Task<PulledProfile> PullArtifactAsync(ImageReference image, ProfileKind kind, Descriptor artifact, Descriptor subject, CancellationToken cancel = default)
    {
        var manifest = await client.GetManifestAsync(image with { Tag = null, Digest = artifact.Digest }, cancel).ConfigureAwait(false);
        var json = manifest.Json(artifact.Digest.ToString());
        var expected = ProfileArtifactFormat.ArtifactType(kind);
        var configType = json["config"]?["mediaType"]?.GetValue<string>();
        if (manifest.MediaType != MediaTypes.OciManifest || configType != expected)
            throw new OciException($"{image}: artifact {artifact.Digest} has media type {manifest.MediaType} / config {configType}, expected {expected}");
        if (json["subject"]?["digest"]?.GetValue<string>() != subject.Digest.ToString())
            throw new OciException($"{image}: artifact {artifact.Digest} names subject {json["subject"]?["digest"]?.GetValue<string>() ?? "(none)"}, not the image manifest {subject.Digest}");
        if (json["layers"] is not JsonArray { Count: 1 } layers)
            throw new OciException($"{image}: artifact {artifact.Digest} must have exactly one layer");
        var layer = Descriptor.FromJson(layers[0]!, artifact.Digest.ToString());
        if (layer.MediaType != ProfileArtifactFormat.LayerMediaType)
            throw new OciException($"{image}: the layer of artifact {artifact.Digest} has media type {layer.MediaType}, expected {ProfileArtifactFormat.LayerMediaType}");
        if (layer.Size > ProfileArtifactFormat.MaxProfileBytes)
            throw new OciException($"{image}: the profile in {artifact.Digest} is {layer.Size} bytes; at most {ProfileArtifactFormat.MaxProfileBytes} are accepted");
        var content = await client.PullBlobAsync(image, layer.Digest, ProfileArtifactFormat.MaxProfileBytes, cancel).ConfigureAwait(false);
        var annotations = (json["annotations"] as JsonObject ?? [])
            .Where(a => a.Value is JsonValue v && v.TryGetValue<string>(out _))
            .ToDictionary(a => a.Key, a => a.Value!.GetValue<string>(), StringComparer.Ordinal);
        return new PulledProfile(content, artifact, subject, annotations);
    }
}
