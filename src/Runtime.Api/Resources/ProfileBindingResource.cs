using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using Portcullis.Runtime.Kubernetes;

namespace Portcullis.Runtime.Resources;

/// <summary>
/// Namespaced: containers whose image matches <see cref="BindingSpec.Image"/> (a glob, `*` within a path
/// segment's characters) in pods matching <see cref="BindingSpec.PodSelector"/> get the named profiles,
/// for profiles that do not come from images.
/// </summary>
public sealed class ProfileBindingResource : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = RuntimeNames.ApiVersion;
    [JsonPropertyName("kind")] public string Kind { get; set; } = "ProfileBinding";
    [JsonPropertyName("metadata")] public V1ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public BindingSpec Spec { get; set; } = new();
}

public sealed class BindingSpec
{
    [JsonPropertyName("image")] public string? Image { get; set; }
    [JsonPropertyName("podSelector")] public V1LabelSelector? PodSelector { get; set; }
    [JsonPropertyName("seccompProfile")] public string? SeccompProfile { get; set; }
    [JsonPropertyName("appArmorProfile")] public string? AppArmorProfile { get; set; }
}
