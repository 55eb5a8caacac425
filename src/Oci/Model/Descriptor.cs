using System.Text.Json.Nodes;
using Portcullis.Oci.References;

namespace Portcullis.Oci.Model;

/// <summary>An OCI content descriptor: what a manifest or index points to.</summary>
public sealed record Descriptor(string MediaType, Digest Digest, long Size)
{
    public string? ArtifactType { get; init; }
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();
    public string? Platform { get; init; }

    public JsonObject ToJson()
    {
        var o = new JsonObject { ["mediaType"] = MediaType, ["digest"] = Digest.ToString(), ["size"] = Size };
        if (ArtifactType is not null)
            o["artifactType"] = ArtifactType;
        if (Annotations.Count > 0)
            o["annotations"] = new JsonObject(Annotations.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value)));
        return o;
    }

    public static Descriptor FromJson(JsonNode node, string where)
    {
        try
        {
            var platform = node["platform"] is JsonObject p ? $"{p["os"]?.GetValue<string>()}/{p["architecture"]?.GetValue<string>()}{(p["variant"] is { } v ? "/" + v.GetValue<string>() : "")}" : null;
            return new Descriptor(node["mediaType"]!.GetValue<string>(), Digest.Parse(node["digest"]!.GetValue<string>()), node["size"]!.GetValue<long>())
            {
                ArtifactType = node["artifactType"]?.GetValue<string>(),
                Annotations = node["annotations"] is JsonObject a ? a.ToDictionary(kv => kv.Key, kv => kv.Value?.GetValue<string>() ?? "") : new Dictionary<string, string>(),
                Platform = platform,
            };
        }
        catch (Exception e) when (e is InvalidOperationException or NullReferenceException or FormatException or OciException)
        {
            throw new OciException($"{where}: malformed descriptor ({e.Message})");
        }
    }
}
