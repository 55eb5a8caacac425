using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using Portcullis.Runtime.Kubernetes;

namespace Portcullis.Runtime.Resources;

/// <summary>What SeccompProfile and AppArmorProfile share: cluster-scoped, content-addressed, spec + status.</summary>
public abstract class ProfileResource : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = RuntimeNames.ApiVersion;
    [JsonPropertyName("kind")] public string Kind { get; set; } = "";
    [JsonPropertyName("metadata")] public V1ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public ProfileSpec Spec { get; set; } = new();
    [JsonPropertyName("status")] public ProfileStatus? Status { get; set; }

    [JsonIgnore] public ProfileType Type => this is SeccompProfileResource ? ProfileType.Seccomp : ProfileType.AppArmor;
}
