using System.Text.Json.Serialization;

namespace Portcullis.Runtime.Resources;

/// <summary>
/// A profile as the cluster holds it: the exact bytes the node agent writes (a runtime-spec seccomp JSON or
/// AppArmor policy text), their digest, and the name the kubelet is given.
/// </summary>
public sealed class ProfileSpec
{
    [JsonPropertyName("content")] public string Content { get; set; } = "";

    /// <summary>sha256 of <see cref="Content"/> as UTF-8; the agent refuses content that does not match.</summary>
    [JsonPropertyName("contentDigest")] public string ContentDigest { get; set; } = "";

    /// <summary>Seccomp: the path under the kubelet's seccomp root. AppArmor: the profile's name.</summary>
    [JsonPropertyName("localhostProfile")] public string LocalhostProfile { get; set; } = "";

    /// <summary>Set for profiles that came from an image; absent for ones a person wrote.</summary>
    [JsonPropertyName("source")] public ProfileSource? Source { get; set; }

    /// <summary>
    /// Seccomp from an image: the names its profile allows only for the container runtime (the artifact's
    /// annotation, kept to names of the portable runtime base). An agent that knows its node's runtime removes the
    /// ones that runtime does not make; absent, every node gets the profile as it is.
    /// </summary>
    [JsonPropertyName("containerRuntimeNames")] public List<string>? ContainerRuntimeNames { get; set; }
}
