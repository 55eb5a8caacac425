using System.Globalization;
using System.Text.Json.Nodes;

namespace Portcullis.Runtime.Testing;

/// <summary>
/// RFC 6902 add / remove / replace / test on a JSON document, written from the RFC for the tests (the
/// webhook's own code never applies patches), so a wrong path or a missing parent fails here as it
/// would in the API server.
/// </summary>
public static class JsonPatchApplier
{
    public static JsonNode Apply(JsonNode document, JsonArray patch)
    {
        var root = document.DeepClone();
        foreach (var op in patch)
        {
            var kind = op!["op"]!.GetValue<string>();
            var path = op["path"]!.GetValue<string>();
            var (parent, key) = Parent(root, path);
            switch (kind)
            {
                case "add":
                    Add(parent, key, op["value"]?.DeepClone(), path);
                    break;
                case "remove":
                    Remove(parent, key, path);
                    break;
                case "replace":
                    Remove(parent, key, path);
                    Add(parent, key, op["value"]?.DeepClone(), path);
                    break;
                case "test":
                    if (!JsonNode.DeepEquals(Get(parent, key, path), op["value"]))
                        throw new InvalidOperationException($"test failed at {path}");
                    break;
                default:
                    throw new InvalidOperationException($"unsupported op {kind}");
            }
        }
        return root;
    }

    private static (JsonNode Parent, string Key) Parent(JsonNode root, string path)
    {
        if (!path.StartsWith('/'))
            throw new InvalidOperationException($"bad pointer '{path}'");
        var parts = path[1..].Split('/').Select(p => p.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToList();
        var node = root;
        foreach (var part in parts[..^1])
            node = Get(node, part, path) ?? throw new InvalidOperationException($"{path}: '{part}' is null");
        return (node, parts[^1]);
    }

    private static JsonNode? Get(JsonNode parent, string key, string path) => parent switch
    {
        JsonObject o => o.TryGetPropertyValue(key, out var v) ? v : throw new InvalidOperationException($"{path}: no member '{key}'"),
        JsonArray a => a[Index(a, key, path, allowEnd: false)],
        _ => throw new InvalidOperationException($"{path}: not a container"),
    };

    private static void Add(JsonNode parent, string key, JsonNode? value, string path)
    {
        switch (parent)
        {
            case JsonObject o:
                o[key] = value;
                break;
            case JsonArray a:
                if (key == "-")
                    a.Add(value);
                else
                    a.Insert(Index(a, key, path, allowEnd: true), value);
                break;
            default:
                throw new InvalidOperationException($"{path}: parent is not a container");
        }
    }

    private static void Remove(JsonNode parent, string key, string path)
    {
        switch (parent)
        {
            case JsonObject o when o.ContainsKey(key):
                o.Remove(key);
                break;
            case JsonArray a:
                a.RemoveAt(Index(a, key, path, allowEnd: false));
                break;
            default:
                throw new InvalidOperationException($"{path}: nothing to remove");
        }
    }

    private static int Index(JsonArray array, string key, string path, bool allowEnd)
    {
        if (!int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var i) || i > array.Count || (!allowEnd && i == array.Count))
            throw new InvalidOperationException($"{path}: index '{key}' out of range");
        return i;
    }
}
