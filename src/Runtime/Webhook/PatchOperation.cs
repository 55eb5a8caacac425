using System.Text.Json.Nodes;

namespace Portcullis.Runtime.Webhook;

/// <summary>One RFC 6902 operation; the webhook only ever adds and replaces.</summary>
public sealed record PatchOperation(string Op, string Path, JsonNode? Value)
{
    public static PatchOperation Add(string path, JsonNode? value) => new("add", path, value);

    public static PatchOperation Replace(string path, JsonNode? value) => new("replace", path, value);

    /// <summary>RFC 6901: '~' and '/' inside a key.</summary>
    public static string Escape(string key) => key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    public JsonObject ToJson() => new() { ["op"] = Op, ["path"] = Path, ["value"] = Value?.DeepClone() };
}
