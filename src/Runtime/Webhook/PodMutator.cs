using System.Text.Json.Nodes;
using Portcullis.Runtime.Hosting;
using Portcullis.Runtime.Kubernetes;
using Portcullis.Runtime.Resources;

namespace Portcullis.Runtime.Webhook;

/// <summary>
/// The JSON Patch that binds a pod: written against the pod exactly as the API server sent it, so every
/// `add` targets a parent that exists (or is added first) and nothing the pod already says is replaced,
/// except the image, which is pinned to the digest that was checked.
/// </summary>
public static class PodMutator
{
    public static IReadOnlyList<PatchOperation> Patch(JsonObject pod, IReadOnlyList<ContainerBinding> bindings, BindingMode mode, bool gate)
    {
        var ops = new List<PatchOperation>();
        var bound = bindings.Where(b => b.BindsAnything).ToList();
        if (bound.Count == 0)
            return ops;

        foreach (var binding in bound)
        {
            var container = (JsonObject)Resolve(pod, binding.Path)!;
            if (binding.PinnedImage is { } pinned && container["image"]?.GetValue<string>() != pinned)
                ops.Add(PatchOperation.Replace($"{binding.Path}/image", pinned));
            if (mode == BindingMode.Localhost)
                SecurityContext(ops, container, binding);
        }

        var metadata = pod["metadata"] as JsonObject;
        var annotations = new Dictionary<string, string> { [RuntimeNames.BindingsAnnotation] = BindingRecord.Write(bound) };
        if (mode == BindingMode.CriO)
        {
            foreach (var b in bound.Where(b => b.Seccomp?.Artifact is not null))
                annotations[RuntimeNames.CrioAnnotationPrefix + b.Container] = b.Seccomp!.Artifact!;
        }
        Keys(ops, metadata, "/metadata", "annotations", annotations);
        Keys(ops, metadata, "/metadata", "labels", new Dictionary<string, string> { [RuntimeNames.BoundLabel] = "true" });

        if (mode == BindingMode.Localhost && gate)
        {
            var spec = (JsonObject)pod["spec"]!;
            if (spec["schedulingGates"] is not JsonArray)
                ops.Add(PatchOperation.Add("/spec/schedulingGates", new JsonArray()));
            ops.Add(PatchOperation.Add("/spec/schedulingGates/-", new JsonObject { ["name"] = RuntimeNames.SchedulingGate }));
            var requirements = new List<(string Key, string Value)> { (RuntimeNames.AgentReadyLabel, "true") };
            if (bound.Any(b => b.AppArmor is not null))
                requirements.Add((RuntimeNames.AppArmorLabel, "true"));
            foreach (var arch in bound.Select(b => b.Platform).OfType<string>().Distinct(StringComparer.Ordinal))
                requirements.Add(("kubernetes.io/arch", arch.Split('/')[1]));
            NodeAffinity(ops, spec, requirements);
        }
        return ops;
    }

    private static void SecurityContext(List<PatchOperation> ops, JsonObject container, ContainerBinding binding)
    {
        var wanted = new JsonObject();
        if (binding.Seccomp is { } seccomp)
            wanted["seccompProfile"] = new JsonObject { ["type"] = "Localhost", ["localhostProfile"] = seccomp.Localhost };
        if (binding.AppArmor is { } appArmor)
            wanted["appArmorProfile"] = new JsonObject { ["type"] = "Localhost", ["localhostProfile"] = appArmor.Localhost };
        if (container["securityContext"] is not JsonObject existing)
        {
            ops.Add(PatchOperation.Add($"{binding.Path}/securityContext", wanted));
            return;
        }
        foreach (var (key, value) in wanted)
        {
            if (existing[key] is null)
                ops.Add(PatchOperation.Add($"{binding.Path}/securityContext/{key}", value!.DeepClone()));
        }
    }

    private static void Keys(List<PatchOperation> ops, JsonObject? parent, string parentPath, string field, Dictionary<string, string> values)
    {
        if (parent?[field] is not JsonObject)
        {
            ops.Add(PatchOperation.Add($"{parentPath}/{field}", new JsonObject(values.Select(v => KeyValuePair.Create(v.Key, (JsonNode?)v.Value)))));
            return;
        }
        foreach (var (key, value) in values)
            ops.Add(PatchOperation.Add($"{parentPath}/{field}/{PatchOperation.Escape(key)}", value));
    }

    /// <summary>
    /// Requires the labels in every node selector term (terms are ORed, so each must carry them), creating
    /// the path down to the terms where the pod has none.
    /// </summary>
    private static void NodeAffinity(List<PatchOperation> ops, JsonObject spec, List<(string Key, string Value)> requirements)
    {
        JsonArray Expressions() => new(requirements.Select(r => (JsonNode)new JsonObject
        {
            ["key"] = r.Key,
            ["operator"] = "In",
            ["values"] = new JsonArray(r.Value),
        }).ToArray());
        var term = new JsonObject { ["matchExpressions"] = Expressions() };
        var required = new JsonObject { ["nodeSelectorTerms"] = new JsonArray(term) };
        const string affinity = "/spec/affinity", nodeAffinity = affinity + "/nodeAffinity", req = nodeAffinity + "/requiredDuringSchedulingIgnoredDuringExecution";

        if (spec["affinity"] is not JsonObject affinityNode)
        {
            ops.Add(PatchOperation.Add(affinity, new JsonObject { ["nodeAffinity"] = new JsonObject { ["requiredDuringSchedulingIgnoredDuringExecution"] = required } }));
            return;
        }
        if (affinityNode["nodeAffinity"] is not JsonObject nodeAffinityNode)
        {
            ops.Add(PatchOperation.Add(nodeAffinity, new JsonObject { ["requiredDuringSchedulingIgnoredDuringExecution"] = required }));
            return;
        }
        if (nodeAffinityNode["requiredDuringSchedulingIgnoredDuringExecution"] is not JsonObject requiredNode
            || requiredNode["nodeSelectorTerms"] is not JsonArray { Count: > 0 } terms)
        {
            ops.Add(PatchOperation.Add(req, required));
            return;
        }
        for (var i = 0; i < terms.Count; i++)
        {
            var path = $"{req}/nodeSelectorTerms/{i}/matchExpressions";
            if (terms[i]?["matchExpressions"] is not JsonArray)
            {
                ops.Add(PatchOperation.Add(path, Expressions()));
                continue;
            }
            foreach (var expression in Expressions())
                ops.Add(PatchOperation.Add(path + "/-", expression!.DeepClone()));
        }
    }

    private static JsonNode? Resolve(JsonNode root, string pointer)
    {
        var node = root;
        foreach (var part in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
            node = node is JsonArray array ? array[int.Parse(part, System.Globalization.CultureInfo.InvariantCulture)] : node?[part];
        return node;
    }
}
