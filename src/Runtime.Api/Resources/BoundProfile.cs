using System.Text.Json.Serialization;
using Portcullis.Runtime.Resources;

namespace Portcullis.Runtime.Resources;

/// <summary>One profile bound to one container, as recorded in the pod's bindings annotation.</summary>
public sealed record BoundProfile(
    [property: JsonPropertyName("type")] ProfileType Type,
    [property: JsonPropertyName("profile")] string ResourceName,
    [property: JsonPropertyName("localhost")] string Localhost,
    [property: JsonPropertyName("artifact")] string? Artifact,
    [property: JsonPropertyName("subject")] string? Subject,
    [property: JsonPropertyName("from")] string From);
