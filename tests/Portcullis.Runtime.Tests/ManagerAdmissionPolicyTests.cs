using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Portcullis.Runtime.Controller;
using Portcullis.Runtime.Kubernetes;
using static Portcullis.Runtime.Tests.AgentAdmissionPolicyTests;
using static Portcullis.Runtime.Tests.Manifests;

namespace Portcullis.Runtime.Tests;

/// <summary>
/// Finding 8, the manager's RBAC is the cluster: patch any pod, patch its webhook configuration anywhere,
/// create any Event. The policies in deploy/ narrow its writes to what its code does; the controller's real
/// code runs against the in-memory API (a FAKE) behind the rendered policies, whose CEL a real evaluator runs,
/// and then a compromised manager tries the rest.
/// </summary>
public sealed class ManagerAdmissionPolicyTests(WebhookLab webhook) : IClassFixture<WebhookLab>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static TheoryData<string> AllOverlays => new(Manifests.Overlays.Where(o => o != "overlays/crio"));

    [Theory]
    [MemberData(nameof(AllOverlays))]
    public async Task The_controller_lifts_gates_and_renews_the_caBundle_through_the_policies(string overlay)
    {
        var objects = Render(overlay);
        var (policies, ns) = Load(overlay);
        var store = new InMemoryClusterApi();
        var api = new AdmittingClusterApi(store, policies, Caller.Manager(ns));
        await store.CreateAsync(KubernetesJson.Deserialize<V1MutatingWebhookConfiguration>(Single(objects, "MutatingWebhookConfiguration").ToJsonString()), Cancel);
        using var lab = new ControllerLab(webhook, api, store);
        var pod = await lab.AdmitAsync();
        using var agent = new AgentLab(store, "node-a", appArmor: true);
        for (var i = 0; i < 10 && ControllerLab.IsGated(await lab.PodAsync(pod)); i++)
        {
            await lab.ReconcileAsync();
            await agent.SyncAsync();
        }
        Assert.False(ControllerLab.IsGated(await lab.PodAsync(pod)));
        var certificates = new WebhookCertificates(api, lab.Options with { Namespace = ns }, lab.Time);
        Assert.True(await certificates.EnsureAsync(Cancel));

        Assert.Empty(api.Refusals);
        bool Judged(string operation, string resource, string policy) => api.Writes.Any(w =>
            Str(w.Request["operation"]) == operation && Str(w.Request["resource"]!["resource"]) == resource && w.Verdicts.Any(v => v.Policy == policy));
        Assert.True(Judged("UPDATE", "pods", "portcullis-manager-pods"), "the gate's removal was judged");
        Assert.True(Judged("UPDATE", "mutatingwebhookconfigurations", "portcullis-manager-webhook-configuration"), "the caBundle patch was judged");
        Assert.NotEmpty(Assert.Single((await store.ListAsync<V1MutatingWebhookConfiguration>(cancel: Cancel))).Webhooks[0].ClientConfig.CaBundle);
    }

    [Fact]
    public async Task A_manager_may_only_remove_its_own_gate_from_a_pod()
    {
        var (policies, ns) = Load("base");
        var store = new InMemoryClusterApi();
        using var lab = new ControllerLab(webhook, null, store);
        var gated = Json(await lab.AdmitAsync());
        var gates = gated["spec"]!["schedulingGates"]!.AsArray();
        Assert.Contains(gates, g => Str(g!["name"]) == RuntimeNames.SchedulingGate);
        var kind = ResourceKind.Of<V1Pod>();
        var name = Str(gated["metadata"]!["name"])!;
        var me = Caller.Manager(ns);
        JsonObject With(JsonObject pod, Action<JsonObject> change) => pod.DeepClone().AsObject().Also(change);
        void Ungate(JsonObject p) => p["spec"]!["schedulingGates"]!.AsArray().Remove(p["spec"]!["schedulingGates"]!.AsArray().Single(g => Str(g!["name"]) == RuntimeNames.SchedulingGate));
        JsonObject Update(JsonObject after, JsonObject? before = null, Caller? who = null, string sub = "") => AdmissionPolicies.Request("UPDATE", kind, name, "shop", after, before ?? gated, who ?? me, sub);
        var ungated = With(gated, Ungate);
        var twoGates = With(gated, p => p["spec"]!["schedulingGates"]!.AsArray().Add(new JsonObject { ["name"] = "example.com/quota" }));

        var wrong = new List<string>();
        Expect(wrong, policies, "remove its gate", true, Update(ungated));
        Expect(wrong, policies, "remove its gate, leaving another", true, Update(With(twoGates, Ungate), twoGates));
        Expect(wrong, policies, "remove another controller's gate", false, Update(With(twoGates, p => p["spec"]!["schedulingGates"]!.AsArray().RemoveAt(1)), twoGates));
        Expect(wrong, policies, "lift a gate that is not there", false, Update(ungated, ungated));
        Expect(wrong, policies, "swap a container's image", false, Update(With(ungated, p => p["spec"]!["containers"]![0]!["image"] = "evil.example/miner@sha256:" + new string('e', 64))));
        Expect(wrong, policies, "steer the pod to a node", false, Update(With(ungated, p => p["spec"]!["nodeSelector"] = new JsonObject { ["kubernetes.io/hostname"] = "node-x" })));
        Expect(wrong, policies, "tolerate every taint", false, Update(With(ungated, p => p["spec"]!["tolerations"] = new JsonArray(new JsonObject { ["operator"] = "Exists" }))));
        Expect(wrong, policies, "rewrite the bindings annotation", false, Update(With(ungated, p => p["metadata"]!["annotations"]![RuntimeNames.BindingsAnnotation] = "[]")));
        Expect(wrong, policies, "relabel the pod", false, Update(With(ungated, p => p["metadata"]!["labels"]!["role"] = "admin")));
        Expect(wrong, policies, "write the pod's status", false, Update(ungated, sub: "status"));
        Expect(wrong, policies, "evict the pod", false, AdmissionPolicies.Request("CREATE", kind, name, "shop", new JsonObject { ["kind"] = "Eviction" }, null, me, "eviction"));
        Expect(wrong, policies, "delete the pod", false, AdmissionPolicies.Request("DELETE", kind, name, "shop", null, gated, me));
        Expect(wrong, policies, "create a pod", false, AdmissionPolicies.Request("CREATE", kind, name, "shop", gated, null, me));
        if (policies.Verdicts(Update(With(ungated, p => p["metadata"]!["labels"]!["role"] = "x"), who: Caller.ServiceAccount("shop", "deployer"))).Count != 0)
            wrong.Add("a policy judged a tenant's own pod update");
        Assert.Empty(wrong);
    }

    [Fact]
    public async Task A_manager_may_change_its_webhook_configuration_only_in_caBundle_and_write_Events_only_about_pods()
    {
        var objects = Render("base");
        var (policies, ns) = Load("base");
        var store = new InMemoryClusterApi();
        await store.CreateAsync(KubernetesJson.Deserialize<V1MutatingWebhookConfiguration>(Single(objects, "MutatingWebhookConfiguration").ToJsonString()), Cancel);
        var api = new AdmittingClusterApi(store, policies, Caller.Manager(ns));
        var options = new Hosting.RuntimeOptions { Namespace = ns };
        Assert.True(await new WebhookCertificates(api, options, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow)).EnsureAsync(Cancel));
        Assert.Empty(api.Refusals);
        var config = Json(Assert.Single(await store.ListAsync<V1MutatingWebhookConfiguration>(cancel: Cancel)));

        // --WebhookUrl rewrites clientConfig: out of cluster only, where a person's account runs the controller
        var pointed = await Assert.ThrowsAsync<ClusterApiException>(() => new WebhookCertificates(api, options with { WebhookUrl = "https://evil.example/mutate" }, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow)).EnsureAsync(Cancel));
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, pointed.Status);

        var kind = ResourceKind.Of<V1MutatingWebhookConfiguration>();
        var me = Caller.Manager(ns);
        JsonObject Update(Action<JsonObject> change) => AdmissionPolicies.Request("UPDATE", kind, "portcullis", null, config.DeepClone().AsObject().Also(change), config, me);
        JsonNode Hook(JsonObject c) => c["webhooks"]![0]!;
        var wrong = new List<string>();
        Expect(wrong, policies, "renew the caBundle", true, Update(c => Hook(c)["clientConfig"]!["caBundle"] = Convert.ToBase64String("another CA"u8)));
        Expect(wrong, policies, "point the webhook at a URL", false, Update(c => Hook(c)["clientConfig"] = new JsonObject { ["url"] = "https://evil.example/", ["caBundle"] = Hook(c)["clientConfig"]!["caBundle"]!.DeepClone() }));
        Expect(wrong, policies, "point the webhook at another Service", false, Update(c => Hook(c)["clientConfig"]!["service"]!["name"] = "evil"));
        Expect(wrong, policies, "make it fail closed", false, Update(c => Hook(c)["failurePolicy"] = "Fail"));
        Expect(wrong, policies, "widen its namespaces", false, Update(c => Hook(c)["namespaceSelector"] = new JsonObject()));
        Expect(wrong, policies, "see every operation", false, Update(c => Hook(c)["rules"]![0]!["operations"] = new JsonArray("*")));
        Expect(wrong, policies, "stretch its timeout", false, Update(c => Hook(c)["timeoutSeconds"] = 30));
        Expect(wrong, policies, "add a webhook", false, Update(c => c["webhooks"]!.AsArray().Add(Hook(c).DeepClone().AsObject().Also(h => h["name"] = "secrets.portcullis.dev"))));
        Expect(wrong, policies, "label it", false, Update(c => c["metadata"]!["labels"]!["x"] = "y"));
        Expect(wrong, policies, "delete it", false, AdmissionPolicies.Request("DELETE", kind, "portcullis", null, null, config, me));
        Expect(wrong, policies, "create a validating webhook", false, AdmissionPolicies.Request("CREATE", ResourceKind.Of<V1MutatingWebhookConfiguration>() with { Plural = "validatingwebhookconfigurations", Kind = "ValidatingWebhookConfiguration" }, "x", null, config, null, me));

        var events = ResourceKind.Of<Corev1Event>();
        var warning = Json(WarningEvent.Pod("shop", "checkout-1", "uid-1", "ProfileUnavailable", "why", "portcullis-controller", DateTime.UtcNow));
        Expect(wrong, policies, "warn about a pod in its namespace", true, AdmissionPolicies.Request("CREATE", events, "", "shop", warning, null, me));
        var elsewhere = warning.DeepClone().AsObject().Also(e => e["metadata"]!["namespace"] = "kube-system");
        Expect(wrong, policies, "write the pod's Event into kube-system", false, AdmissionPolicies.Request("CREATE", events, "x", "kube-system", elsewhere, null, me));
        var aboutNode = warning.DeepClone().AsObject().Also(e => e["involvedObject"]!["kind"] = "Node");
        Expect(wrong, policies, "warn about a Node", false, AdmissionPolicies.Request("CREATE", events, "x", "shop", aboutNode, null, me));
        Expect(wrong, policies, "delete an Event", false, AdmissionPolicies.Request("DELETE", events, "x", "shop", null, warning, me));
        Assert.Empty(wrong);
    }
}
