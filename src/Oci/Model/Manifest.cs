using System.Text.Json;
using System.Text.Json.Nodes;
using Portcullis.Oci.References;

namespace Portcullis.Oci.Model;

/// <summary>A manifest or index exactly as the registry served it: its bytes (whose digest identifies it), media type and digest.</summary>
public sealed record Manifest(byte[] Bytes, string MediaType, Digest Digest)
{
    /// <summary>The registry's ETag for these bytes, when it sends one (used for conditional writes).</summary>
    public string? ETag { get; init; }

    public JsonNode Json(string where)
    {
        try
        {
            return JsonNode.Parse(Bytes) ?? throw new OciException($"{where}: empty manifest");
        }
        catch (JsonException e)
        {
            throw new OciException($"{where}: the manifest is not valid JSON ({e.Message.Split('.')[0]})");
        }
    }

    public bool IsIndex => MediaTypes.IsIndex(MediaType);

    public Descriptor Descriptor => new(MediaType, Digest, Bytes.Length);

    /// <summary>The platform manifests an index lists (attestation entries with platform unknown/unknown left out).</summary>
    public IReadOnlyList<Descriptor> Platforms(string where) => !IsIndex ? [] :
        (Json(where)["manifests"] as JsonArray ?? []).Select(m => Descriptor.FromJson(m!, where)).Where(d => d.Platform != "unknown/unknown").ToList();

    /// <summary>The descriptors of an index (referrers index, tag fallback).</summary>
    public IReadOnlyList<Descriptor> Entries(string where) =>
        (Json(where)["manifests"] as JsonArray ?? []).Select(m => Descriptor.FromJson(m!, where)).ToList();

    public static byte[] Index(IEnumerable<Descriptor> entries) => OciJson.Bytes(new JsonObject
    {
        ["schemaVersion"] = 2,
        ["mediaType"] = MediaTypes.OciIndex,
        ["manifests"] = new JsonArray(entries.Select(e => (JsonNode)e.ToJson()).ToArray()),
    });
}
