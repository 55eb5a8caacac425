using k8s.Models;
using Portcullis.Runtime.Resources;

namespace Portcullis.Runtime.Kubernetes;

/// <summary>Where the API server keeps each type the runtime touches.</summary>
public sealed record ResourceKind(string Group, string Version, string Plural, string Kind, bool Namespaced)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    private static readonly Dictionary<Type, ResourceKind> Kinds = new()
    {
        [typeof(V1Pod)] = new("", "v1", "pods", "Pod", true),
        [typeof(V1Node)] = new("", "v1", "nodes", "Node", false),
        [typeof(V1Namespace)] = new("", "v1", "namespaces", "Namespace", false),
        [typeof(V1Secret)] = new("", "v1", "secrets", "Secret", true),
        [typeof(V1ConfigMap)] = new("", "v1", "configmaps", "ConfigMap", true),
        [typeof(V1ServiceAccount)] = new("", "v1", "serviceaccounts", "ServiceAccount", true),
        [typeof(Corev1Event)] = new("", "v1", "events", "Event", true),
        [typeof(V1DaemonSet)] = new("apps", "v1", "daemonsets", "DaemonSet", true),
        [typeof(V1MutatingWebhookConfiguration)] = new("admissionregistration.k8s.io", "v1", "mutatingwebhookconfigurations", "MutatingWebhookConfiguration", false),
        [typeof(SeccompProfileResource)] = new(RuntimeNames.Group, RuntimeNames.Version, "seccompprofiles", "SeccompProfile", false),
        [typeof(AppArmorProfileResource)] = new(RuntimeNames.Group, RuntimeNames.Version, "apparmorprofiles", "AppArmorProfile", false),
        [typeof(ProfileNodeStatusResource)] = new(RuntimeNames.Group, RuntimeNames.Version, "profilenodestatuses", "ProfileNodeStatus", false),
        [typeof(ProfileBindingResource)] = new(RuntimeNames.Group, RuntimeNames.Version, "profilebindings", "ProfileBinding", true),
    };

    public static ResourceKind Of<T>() => Of(typeof(T));

    public static ResourceKind Of(Type type) =>
        Kinds.TryGetValue(type, out var kind) ? kind : throw new InvalidOperationException($"{type.Name} is not a resource the runtime knows");

    public static IEnumerable<(Type Type, ResourceKind Kind)> All => Kinds.Select(k => (k.Key, k.Value));
}
