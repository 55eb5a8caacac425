using System.Text.Json;
using System.Text.Json.Nodes;
using Portcullis.Oci.Model;

namespace Portcullis.Oci.Signing;

/// <summary>
/// The signed statement: this repository's manifest with this digest (critical), who and when, and the image
/// manifest the profile belongs to (optional, but signed like the rest: a signature for image A's profile
/// does not vouch for the same profile attached to image B).
/// </summary>
public sealed record SimpleSigningPayload(string DockerReference, string ManifestDigest, string? Creator, string? Created, string? Subject = null)
{
    private const string SubjectKey = "dev.portcullis.subject";

    public byte[] ToBytes() => OciJson.Bytes(new JsonObject
    {
        ["critical"] = new JsonObject
        {
            ["identity"] = new JsonObject { ["docker-reference"] = DockerReference },
            ["image"] = new JsonObject { ["docker-manifest-digest"] = ManifestDigest },
            ["type"] = SignatureFormat.PayloadType,
        },
        ["optional"] = new JsonObject { ["creator"] = Creator, ["created"] = Created, [SubjectKey] = Subject },
    });

    public static SimpleSigningPayload? TryParse(byte[] bytes)
    {
        try
        {
            var root = JsonNode.Parse(bytes);
            var critical = root?["critical"];
            if (critical?["type"]?.GetValue<string>() != SignatureFormat.PayloadType)
                return null;
            return new SimpleSigningPayload(
                critical["identity"]?["docker-reference"]?.GetValue<string>() ?? "",
                critical["image"]?["docker-manifest-digest"]?.GetValue<string>() ?? "",
                root!["optional"]?["creator"]?.GetValue<string>(),
                root["optional"]?["created"]?.GetValue<string>(),
                root["optional"]?[SubjectKey]?.GetValue<string>());
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
    }
}
