using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using Portcullis.Runtime.Kubernetes;

namespace Portcullis.Runtime.Resources;

/// <summary>
/// One profile on one node, written by that node's agent. Small and separate, so node states never race
/// in one object or grow it toward etcd's limit; owned by the Node, so deleting a node deletes them.
/// </summary>
public sealed class ProfileNodeStatusResource : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = RuntimeNames.ApiVersion;
    [JsonPropertyName("kind")] public string Kind { get; set; } = "ProfileNodeStatus";
    [JsonPropertyName("metadata")] public V1ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public NodeStatusSpec Spec { get; set; } = new();
    [JsonPropertyName("status")] public NodeStatusState Status { get; set; } = new();
}

public sealed class NodeStatusSpec
{
    [JsonPropertyName("nodeName")] public string NodeName { get; set; } = "";
    [JsonPropertyName("profileName")] public string ProfileName { get; set; } = "";
    [JsonPropertyName("profileType")] public ProfileType ProfileType { get; set; }
}

public sealed class NodeStatusState
{
    /// <summary>Installed, Failed or Unsupported (AppArmor on a kernel without it).</summary>
    [JsonPropertyName("state")] public string State { get; set; } = "";
    [JsonPropertyName("contentDigest")] public string ContentDigest { get; set; } = "";
    [JsonPropertyName("message")] public string? Message { get; set; }
}
