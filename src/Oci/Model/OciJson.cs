using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portcullis.Oci.Model;

/// <summary>Manifests as bytes: compact, media types unescaped ("+json", not "\u002Bjson"), as other clients write them.</summary>
public static class OciJson
{
    private static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Bytes(JsonNode node) => System.Text.Encoding.UTF8.GetBytes(node.ToJsonString(Options));
}
