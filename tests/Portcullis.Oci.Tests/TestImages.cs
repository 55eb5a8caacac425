using System.Text.Json.Nodes;
using Portcullis.Oci.Model;
using Portcullis.Oci.References;

namespace Portcullis.Oci.Tests;

/// <summary>Small images pushed with the client itself: a config and one layer, or an index of two platforms.</summary>
internal static class TestImages
{
    public static async Task<Manifest> PushImageAsync(RegistryClient client, ImageReference image, string architecture = "amd64")
    {
        var config = await client.PushBlobAsync(image, System.Text.Encoding.UTF8.GetBytes(new JsonObject { ["architecture"] = architecture, ["os"] = "linux", ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray() } }.ToJsonString()), "application/vnd.oci.image.config.v1+json");
        var layer = await client.PushBlobAsync(image, System.Text.Encoding.UTF8.GetBytes("layer-" + architecture + Guid.NewGuid()), "application/vnd.oci.image.layer.v1.tar");
        var manifest = System.Text.Encoding.UTF8.GetBytes(new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = MediaTypes.OciManifest,
            ["config"] = config.ToJson(),
            ["layers"] = new JsonArray(layer.ToJson()),
        }.ToJsonString());
        var (digest, _) = await client.PutManifestAsync(image, image.Tag ?? Digest.Sha256(manifest).ToString(), manifest, MediaTypes.OciManifest);
        return new Manifest(manifest, MediaTypes.OciManifest, digest);
    }

    public static async Task<Manifest> PushIndexAsync(RegistryClient client, ImageReference image)
    {
        var entries = new JsonArray();
        foreach (var arch in new[] { "amd64", "arm64" })
        {
            var m = await PushImageAsync(client, image with { Tag = null }, arch);
            var d = m.Descriptor.ToJson();
            d["platform"] = new JsonObject { ["os"] = "linux", ["architecture"] = arch };
            entries.Add(d);
        }
        var index = System.Text.Encoding.UTF8.GetBytes(new JsonObject { ["schemaVersion"] = 2, ["mediaType"] = MediaTypes.OciIndex, ["manifests"] = entries }.ToJsonString());
        var (digest, _) = await client.PutManifestAsync(image, image.Tag!, index, MediaTypes.OciIndex);
        return new Manifest(index, MediaTypes.OciIndex, digest);
    }
}
