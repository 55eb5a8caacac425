using System.Text.Json.Serialization;

namespace Portcullis.Runtime.Resources;

/// <summary>Where an image-borne profile came from: the artifact that carried it and the image it refers to.</summary>
public sealed class ProfileSource
{
    [JsonPropertyName("registry")] public string Registry { get; set; } = "";
    [JsonPropertyName("repository")] public string Repository { get; set; } = "";
    [JsonPropertyName("imageDigest")] public string ImageDigest { get; set; } = "";
    [JsonPropertyName("artifactDigest")] public string ArtifactDigest { get; set; } = "";
}
