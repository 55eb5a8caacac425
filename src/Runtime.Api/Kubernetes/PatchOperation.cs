using System.Text.Json.Nodes;

namespace Portcullis.Runtime.Kubernetes;

/// <summary>One RFC 6902 operation. The webhook only adds and replaces; the controller and agent also test and remove.</summary>
public sealed record PatchOperation(string Op, string Path, JsonNode? Value)
{
    public static PatchOperation Add(string path, JsonNode? value) => new("add", path, value);

    public static PatchOperation Replace(string path, JsonNode? value) => new("replace", path, value);

    public static PatchOperation Remove(string path) => new("remove", path, null);

    public static PatchOperation Test(string path, JsonNode? value) => new("test", path, value);

    /// <summary>RFC 6901: '~' and '/' inside a key.</summary>
    public static string Escape(string key) => key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    public JsonObject ToJson()
    {
        var json = new JsonObject { ["op"] = Op, ["path"] = Path };
        if (Op != "remove")
            json["value"] = Value?.DeepClone();
        return json;
    }
}
