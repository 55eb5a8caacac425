using System.Text.Json.Serialization;

namespace Portcullis.Runtime.Resources;

/// <summary>What the webhook decided for one container: its pinned image and the profiles bound to it.</summary>
public sealed record ContainerBinding(
    [property: JsonIgnore] string Path,
    [property: JsonPropertyName("container")] string Container,
    [property: JsonPropertyName("image")] string Image,
    [property: JsonPropertyName("pinned")] string? PinnedImage,
    [property: JsonPropertyName("platform")] string? Platform,
    [property: JsonPropertyName("seccomp")] BoundProfile? Seccomp,
    [property: JsonPropertyName("apparmor")] BoundProfile? AppArmor)
{
    [JsonIgnore] public bool BindsAnything => Seccomp is not null || AppArmor is not null;
}
