namespace Portcullis.Runtime.Tests;

/// <summary>Who makes an API request, as the API server's authenticator would hand it to admission.</summary>
public sealed record Caller(string Username, IReadOnlyList<string> Groups, IReadOnlyDictionary<string, string[]> Extra)
{
    /// <summary>A pod's projected ServiceAccount token: its node travels in the claims (Kubernetes >= 1.30).</summary>
    public static Caller ServiceAccount(string ns, string name, string? node = null) => new(
        $"system:serviceaccount:{ns}:{name}",
        ["system:serviceaccounts", "system:serviceaccounts:" + ns, "system:authenticated"],
        node is null
            ? new Dictionary<string, string[]>()
            : new Dictionary<string, string[]>
            {
                ["authentication.kubernetes.io/node-name"] = [node],
                ["authentication.kubernetes.io/pod-name"] = [name + "-x1y2z"],
            });

    public static Caller Agent(string ns, string node) => ServiceAccount(ns, "portcullis-agent", node);

    public static Caller Manager(string ns) => ServiceAccount(ns, "portcullis-manager", "node-m");

    public static Caller Kubelet(string node) => new("system:node:" + node, ["system:nodes", "system:authenticated"], new Dictionary<string, string[]>());
}
