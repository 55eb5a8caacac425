using System.Text.Json.Serialization;

namespace Portcullis.Runtime.Resources;

public sealed class ProfileStatus
{
    [JsonPropertyName("phase")] public string Phase { get; set; } = ProfilePhase.Pending;
    [JsonPropertyName("installedNodes")] public int InstalledNodes { get; set; }
    [JsonPropertyName("agentNodes")] public int AgentNodes { get; set; }
    [JsonPropertyName("message")] public string? Message { get; set; }

    /// <summary>Last time a pod was seen using the profile; garbage collection counts from here.</summary>
    [JsonPropertyName("lastUsed")] public DateTime? LastUsed { get; set; }
}
