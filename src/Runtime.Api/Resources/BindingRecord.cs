using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portcullis.Runtime.Resources;

/// <summary>The pod annotation portcullis.dev/bindings: what was bound from where, for people and for the controller.</summary>
public static class BindingRecord
{
    public static string Write(IReadOnlyList<ContainerBinding> bindings) =>
        JsonSerializer.Serialize(bindings.Where(b => b.BindsAnything).ToList(), RuntimeJsonContext.Default.ListContainerBinding);

    /// <summary>The bindings of a pod; empty for an annotation that is missing or not ours.</summary>
    public static IReadOnlyList<ContainerBinding> Read(IDictionary<string, string>? annotations)
    {
        if (annotations is null || !annotations.TryGetValue(Kubernetes.RuntimeNames.BindingsAnnotation, out var text))
            return [];
        try
        {
            return JsonSerializer.Deserialize(text, RuntimeJsonContext.Default.ListContainerBinding) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}

[JsonSerializable(typeof(List<ContainerBinding>))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class RuntimeJsonContext : JsonSerializerContext;
