using System.Net;
using System.Text.Json.Nodes;
using static Portcullis.Runtime.Tests.Manifests;

namespace Portcullis.Runtime.Tests;

/// <summary>
/// Finding 7, the webhook serves anyone: the rendered NetworkPolicies, applied to connections by a small
/// evaluator of the NetworkPolicy ingress rules written from the API reference (a FAKE of the CNI, which cannot
/// run here): a tenant's pod may not reach the webhook port, the API server's side may, and probes and metrics
/// are a rule of their own.
/// </summary>
public sealed class WebhookNetworkPolicyTests
{
    private static readonly IPAddress ApiServerNode = IPAddress.Parse("172.18.0.2");
    private static readonly IPAddress ManagedControlPlane = IPAddress.Parse("52.14.7.9");
    private static readonly IPAddress TenantPod = IPAddress.Parse("10.244.3.7");

    public static TheoryData<string> AllOverlays => new(Manifests.Overlays);

    [Theory]
    [MemberData(nameof(AllOverlays))]
    public void Only_the_API_servers_side_of_the_network_reaches_the_webhook_port_and_pods_reach_only_health_and_metrics(string overlay)
    {
        var objects = Render(overlay);
        var manager = Single(objects, "Deployment");
        var labels = manager["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
        var policies = objects.Where(o => Str(o["kind"]) == "NetworkPolicy" && Selects(o["spec"]!["podSelector"]!, labels)).ToList();
        Assert.NotEmpty(policies);
        Assert.All(policies, p => Assert.Contains("Ingress", p["spec"]!["policyTypes"]!.AsArray().Select(Str)));

        var wrong = new List<string>();
        void Expect(string what, bool allowed, IPAddress source, bool isPod, string port)
        {
            if (Allows(policies, source, isPod, port) != allowed)
                wrong.Add($"{what}: {(allowed ? "refused" : "allowed")}");
        }
        Expect("the API server, host network on a control-plane node", true, ApiServerNode, false, "https");
        Expect("a managed control plane outside the cluster", true, ManagedControlPlane, false, "https");
        Expect("a tenant's pod calling the webhook", false, TenantPod, true, "https");
        Expect("Prometheus scraping metrics", true, TenantPod, true, "http");
        Expect("a tenant's pod on any other port", false, TenantPod, true, "9999");
        Assert.Empty(wrong);
    }

    /// <summary>Ingress is allowed when some rule of some selecting policy has the port and the source (empty lists: everything).</summary>
    private static bool Allows(IEnumerable<JsonObject> policies, IPAddress source, bool isPod, string port) =>
        policies.SelectMany(p => p["spec"]!["ingress"]?.AsArray() ?? []).Any(rule =>
            (rule!["ports"] is not JsonArray ports || ports.Count == 0 || ports.Any(p => Str(p!["port"]) == port))
            && (rule["from"] is not JsonArray from || from.Count == 0 || from.Any(peer => Matches(peer!, source, isPod))));

    private static bool Matches(JsonNode peer, IPAddress source, bool isPod)
    {
        if (peer["ipBlock"] is { } block)
            return InCidr(source, Str(block["cidr"])!) && !(block["except"]?.AsArray().Any(e => InCidr(source, Str(e)!)) ?? false);
        // namespaceSelector / podSelector peers name pods only; an empty selector is every pod (of every namespace)
        return isPod && (peer["namespaceSelector"] is null || peer["namespaceSelector"]!.AsObject().Count == 0) && (peer["podSelector"] is null || peer["podSelector"]!.AsObject().Count == 0);
    }

    private static bool InCidr(IPAddress address, string cidr) =>
        IPNetwork.TryParse(cidr, out var network) && network.BaseAddress.AddressFamily == address.AddressFamily && network.Contains(address);

    private static bool Selects(JsonNode selector, JsonObject labels) =>
        selector["matchLabels"]?.AsObject().All(kv => Str(labels[kv.Key]) == Str(kv.Value)) ?? true;
}
