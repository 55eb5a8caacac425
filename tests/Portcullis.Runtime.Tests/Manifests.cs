using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace Portcullis.Runtime.Tests;

/// <summary>deploy/ rendered by the real `kubectl kustomize`, as JSON objects.</summary>
public static class Manifests
{
    public static IReadOnlyList<string> Overlays { get; } =
        ["base", .. Directory.GetDirectories(Path.Combine(Repo.Root, "deploy", "overlays")).Select(d => "overlays/" + Path.GetFileName(d)).Order(StringComparer.Ordinal)];

    public static IReadOnlyList<JsonObject> Render(string overlay)
    {
        var kubectl = Requires.Tool("kubectl", "kubectl (preinstalled)");
        var (code, output) = Requires.Run(kubectl, "kustomize", Path.Combine(Repo.Root, "deploy", overlay));
        Assert.True(code == 0, $"kubectl kustomize deploy/{overlay} failed: {output}");
        var stream = new YamlStream();
        stream.Load(new StringReader(output));
        return stream.Documents.Select(d => (JsonObject)ToJson(d.RootNode)!).ToList();
    }

    public static JsonObject Single(IEnumerable<JsonObject> objects, string kind, string? name = null) =>
        Assert.Single(objects, o => Str(o["kind"]) == kind && (name is null || Str(o["metadata"]!["name"]) == name));

    public static string? Str(JsonNode? node) => node?.ToString();

    /// <summary>YAML scalars stay strings unless plainly numbers or booleans (what the API server would make of them).</summary>
    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(ToJson).ToArray()),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } s when long.TryParse(s.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => JsonValue.Create(n),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: "true" or "false" } s => JsonValue.Create(s.Value == "true"),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: null or "null" or "~" } => null,
        YamlScalarNode s => JsonValue.Create(s.Value),
        _ => null,
    };
}
