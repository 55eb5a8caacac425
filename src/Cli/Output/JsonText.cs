using System.Text.Json.Nodes;

namespace Portcullis.Cli.Output;

/// <summary>--json output: indented, two spaces, "+" and "<" left as they are, a final newline.</summary>
internal static class JsonText
{
    public static string Render(JsonNode node) =>
        node.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true, IndentSize = 2, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
}
