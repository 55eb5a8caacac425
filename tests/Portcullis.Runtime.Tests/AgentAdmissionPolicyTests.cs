using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Portcullis.Runtime.Kubernetes;
using Portcullis.Runtime.NodeAgent;
using Portcullis.Runtime.Resources;
using static Portcullis.Runtime.Tests.Manifests;

namespace Portcullis.Runtime.Tests;

/// <summary>
/// Finding 3, a node can act for every node: RBAC gives each agent every Node and every ProfileNodeStatus,
/// and the admission policies in deploy/ take that back to its own node, keyed on the node claim of its
/// token. The agent's real code runs against the in-memory API (a FAKE) behind the rendered policies,
/// whose CEL a real evaluator runs; root on node A then runs the same code as node B.
/// </summary>
public sealed class AgentAdmissionPolicyTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static TheoryData<string> OverlaysWithAgent => new(Manifests.Overlays.Where(o => Render(o).Any(x => Str(x["kind"]) == "DaemonSet")));

    [Theory]
    [MemberData(nameof(OverlaysWithAgent))]
    public async Task Everything_the_agent_writes_for_its_own_node_is_admitted_and_judged_by_a_policy(string overlay)
    {
        var (policies, ns) = Load(overlay);
        var store = new InMemoryClusterApi();
        using var lab = new AgentLab(store, "node-a", appArmor: true, ociRuntime: null);
        var api = new AdmittingClusterApi(store, policies, Caller.Agent(ns, "node-a"));
        var agent = Agent(api, lab, "node-a");
        await store.CreateAsync(AgentLab.Profile<SeccompProfileResource>("sha256-aa", WebhookLab.SeccompProfile), Cancel);
        await store.CreateAsync(AgentLab.Profile<AppArmorProfileResource>("sha256-bb", WebhookLab.AppArmorProfile), Cancel);

        await agent.SyncAsync(Cancel);                                   // creates both statuses, labels the node
        var changed = AgentLab.Profile<SeccompProfileResource>("sha256-aa", WebhookLab.SeccompProfile.Replace("SCMP_ACT_ERRNO", "SCMP_ACT_KILL_PROCESS", StringComparison.Ordinal));
        var stored = (await store.GetAsync<SeccompProfileResource>(null, "sha256-aa", Cancel))!;
        stored.Spec = changed.Spec;
        await store.ReplaceAsync(stored, Cancel);
        await agent.SyncAsync(Cancel);                                   // updates a status
        await store.DeleteAsync<AppArmorProfileResource>(null, "sha256-bb", Cancel);
        await agent.SyncAsync(Cancel);                                   // deletes a status
        await agent.UninstallAsync(Cancel);                              // deletes the rest, removes both labels

        Assert.Empty(api.Refusals);
        var judged = api.Writes.Select(w => (Str(w.Request["operation"]), Str(w.Request["resource"]!["resource"]))).ToHashSet();
        Assert.Superset(new HashSet<(string?, string?)> { ("CREATE", "profilenodestatuses"), ("UPDATE", "profilenodestatuses"), ("DELETE", "profilenodestatuses"), ("UPDATE", "nodes"), ("CREATE", "events") }, judged);
        Assert.All(api.Writes, w => Assert.NotEmpty(w.Verdicts)); // no write slipped past every policy
        Assert.Empty(await store.ListAsync<ProfileNodeStatusResource>(cancel: Cancel));
        Assert.DoesNotContain(RuntimeNames.AgentReadyLabel, (await store.GetAsync<V1Node>(null, "node-a", Cancel))!.Metadata.Labels.Keys);
    }

    [Theory]
    [MemberData(nameof(OverlaysWithAgent))]
    public async Task Root_on_node_a_running_the_agent_as_node_b_neither_labels_node_b_nor_reports_its_profiles(string overlay)
    {
        var (policies, ns) = Load(overlay);
        var store = new InMemoryClusterApi();
        using var a = new AgentLab(store, "node-a");
        using var b = new AgentLab(store, "node-b");
        var asA = new AdmittingClusterApi(store, policies, Caller.Agent(ns, "node-a"));
        var spoof = Agent(asA, a, "node-b"); // NODE_NAME=node-b, node A's token

        // no profiles yet: a sync would only label node-b ready
        var labelling = await Assert.ThrowsAsync<ClusterApiException>(() => spoof.SyncAsync(Cancel));
        Assert.Equal(HttpStatusCode.Forbidden, labelling.Status);
        Assert.DoesNotContain(RuntimeNames.AgentReadyLabel, (await store.GetAsync<V1Node>(null, "node-b", Cancel))!.Metadata.Labels.Keys);

        // a profile node-b has not installed: the spoofed agent reports it Installed there
        await store.CreateAsync(AgentLab.Profile<SeccompProfileResource>("sha256-aa", WebhookLab.SeccompProfile), Cancel);
        var reporting = await Assert.ThrowsAsync<ClusterApiException>(() => spoof.SyncAsync(Cancel));
        Assert.Equal(HttpStatusCode.Forbidden, reporting.Status);
        Assert.Empty(await store.ListAsync<ProfileNodeStatusResource>(cancel: Cancel));

        // node-b's own agent, with node-b's token, does both
        await Agent(new AdmittingClusterApi(store, policies, Caller.Agent(ns, "node-b")), b, "node-b").SyncAsync(Cancel);
        Assert.Equal("true", (await store.GetAsync<V1Node>(null, "node-b", Cancel))!.Metadata.Labels[RuntimeNames.AgentReadyLabel]);
        Assert.Single(await store.ListAsync<ProfileNodeStatusResource>(cancel: Cancel));

        // and then node A cannot overwrite, take over or delete node-b's status, nor forget node-b on uninstall
        var wrong = new List<string>();
        var status = Json(Assert.Single(await store.ListAsync<ProfileNodeStatusResource>(cancel: Cancel)));
        var statusKind = ResourceKind.Of<ProfileNodeStatusResource>();
        var name = Str(status["metadata"]!["name"])!;
        var failed = status.DeepClone().AsObject().Also(s => s["status"]!["state"] = "Failed");
        Expect(wrong, policies, "overwrite node-b's status", false, AdmissionPolicies.Request("UPDATE", statusKind, name, null, failed, status, Caller.Agent(ns, "node-a")));
        var takenOver = status.DeepClone().AsObject().Also(s => s["spec"]!["nodeName"] = "node-a");
        Expect(wrong, policies, "move node-b's status to node-a", false, AdmissionPolicies.Request("UPDATE", statusKind, name, null, takenOver, status, Caller.Agent(ns, "node-a")));
        Expect(wrong, policies, "delete node-b's status", false, AdmissionPolicies.Request("DELETE", statusKind, name, null, null, status, Caller.Agent(ns, "node-a")));
        Assert.Empty(wrong);
        await Agent(asA, a, "node-b").UninstallAsync(Cancel); // logs what it could not do, and leaves node-b alone
        Assert.Single(await store.ListAsync<ProfileNodeStatusResource>(cancel: Cancel));
        Assert.Equal("true", (await store.GetAsync<V1Node>(null, "node-b", Cancel))!.Metadata.Labels[RuntimeNames.AgentReadyLabel]);
    }

    [Theory]
    [MemberData(nameof(OverlaysWithAgent))]
    public async Task On_its_own_node_an_agent_may_set_its_two_labels_and_nothing_else(string overlay)
    {
        var (policies, ns) = Load(overlay);
        var store = new InMemoryClusterApi();
        using var lab = new AgentLab(store, "node-a");
        var node = Json((await store.GetAsync<V1Node>(null, "node-a", Cancel))!);
        node["spec"] = new JsonObject { ["podCIDR"] = "10.244.1.0/24" };
        var kind = ResourceKind.Of<V1Node>();
        var me = Caller.Agent(ns, "node-a");
        JsonObject With(Action<JsonObject> change) => node.DeepClone().AsObject().Also(change);
        JsonObject Update(JsonObject after, Caller? who = null, string sub = "") => AdmissionPolicies.Request("UPDATE", kind, "node-a", null, after, node, who ?? me, sub);
        var ready = With(n => n["metadata"]!["labels"]![RuntimeNames.AgentReadyLabel] = "true");

        var wrong = new List<string>();
        Expect(wrong, policies, "label itself ready", true, Update(ready));
        Expect(wrong, policies, "label itself AppArmor-capable", true, Update(With(n => n["metadata"]!["labels"]![RuntimeNames.AppArmorLabel] = "true")));
        Expect(wrong, policies, "remove its ready label", true, AdmissionPolicies.Request("UPDATE", kind, "node-a", null, node, ready, me));
        Expect(wrong, policies, "label itself ready with a token that names no node", false, Update(ready, Caller.ServiceAccount(ns, "portcullis-agent")), "names no node");
        Expect(wrong, policies, "set its ready label to another value", false, Update(With(n => n["metadata"]!["labels"]![RuntimeNames.AgentReadyLabel] = "yes")));
        Expect(wrong, policies, "add another label", false, Update(With(n => n["metadata"]!["labels"]!["node-role.kubernetes.io/control-plane"] = "")));
        Expect(wrong, policies, "remove kubernetes.io/hostname", false, Update(With(n => n["metadata"]!["labels"]!.AsObject().Remove("kubernetes.io/hostname"))));
        Expect(wrong, policies, "taint itself", false, Update(With(n => n["spec"]!["taints"] = new JsonArray(new JsonObject { ["key"] = "x", ["effect"] = "NoSchedule" }))));
        Expect(wrong, policies, "mark itself unschedulable", false, Update(With(n => n["spec"]!["unschedulable"] = true)));
        Expect(wrong, policies, "annotate itself", false, Update(With(n => n["metadata"]!["annotations"] = new JsonObject { ["x"] = "y" })));
        Expect(wrong, policies, "write its Node's status", false, Update(ready, sub: "status"));
        Expect(wrong, policies, "delete its Node", false, AdmissionPolicies.Request("DELETE", kind, "node-a", null, null, node, me));
        var other = With(n => { n["metadata"]!["name"] = "node-b"; n["metadata"]!["labels"]![RuntimeNames.AgentReadyLabel] = "true"; });
        Expect(wrong, policies, "label node-b ready", false, AdmissionPolicies.Request("UPDATE", kind, "node-b", null, other, With(n => n["metadata"]!["name"] = "node-b"), me));
        // nobody else is affected: node-b's kubelet taints its own node
        var kubelet = AdmissionPolicies.Request("UPDATE", kind, "node-b", null, With(n => n["spec"]!["unschedulable"] = true), node, Caller.Kubelet("node-b"));
        if (policies.Verdicts(kubelet).Count != 0)
            wrong.Add("a policy judged the kubelet's own request");
        Assert.Empty(wrong);
    }

    [Theory]
    [MemberData(nameof(OverlaysWithAgent))]
    public async Task An_agent_creates_statuses_only_for_its_own_node_under_its_own_name_label_and_owner(string overlay)
    {
        var (policies, ns) = Load(overlay);
        var store = new InMemoryClusterApi();
        using var lab = new AgentLab(store, "node-a");
        await store.CreateAsync(AgentLab.Profile<SeccompProfileResource>("sha256-aa", WebhookLab.SeccompProfile), Cancel);
        await lab.SyncAsync(); // the real agent's status, as a template
        var own = Json(Assert.Single(await store.ListAsync<ProfileNodeStatusResource>(cancel: Cancel)));
        Assert.Equal("seccomp.sha256-aa.node-a", Str(own["metadata"]!["name"]));
        var kind = ResourceKind.Of<ProfileNodeStatusResource>();
        var me = Caller.Agent(ns, "node-a");
        JsonObject Create(Action<JsonObject> change)
        {
            var s = own.DeepClone().AsObject().Also(change);
            return AdmissionPolicies.Request("CREATE", kind, Str(s["metadata"]!["name"])!, null, s, null, me);
        }

        var wrong = new List<string>();
        Expect(wrong, policies, "create its own status", true, Create(_ => { }));
        Expect(wrong, policies, "update its own status", true, AdmissionPolicies.Request("UPDATE", kind, "seccomp.sha256-aa.node-a", null, own.DeepClone().AsObject().Also(s => s["status"]!["state"] = "Failed"), own, me));
        Expect(wrong, policies, "delete its own status", true, AdmissionPolicies.Request("DELETE", kind, "seccomp.sha256-aa.node-a", null, null, own, me));
        Expect(wrong, policies, "create node-b's status", false, Create(s =>
        {
            s["metadata"]!["name"] = "seccomp.sha256-aa.node-b";
            s["metadata"]!["labels"]![RuntimeNames.NodeLabel] = "node-b";
            s["spec"]!["nodeName"] = "node-b";
        }));
        Expect(wrong, policies, "take node-b's status name first", false, Create(s => s["metadata"]!["name"] = "seccomp.sha256-aa.node-b"));
        Expect(wrong, policies, "label its status for node-b", false, Create(s => s["metadata"]!["labels"]![RuntimeNames.NodeLabel] = "node-b"));
        Expect(wrong, policies, "drop the node label", false, Create(s => s["metadata"]!["labels"]!.AsObject().Remove(RuntimeNames.NodeLabel)));
        Expect(wrong, policies, "hang its status on node-b", false, Create(s => s["metadata"]!["ownerReferences"]![0]!["name"] = "node-b"));
        Expect(wrong, policies, "name another profile type", false, Create(s => s["spec"]!["profileType"] = "AppArmor"));
        Expect(wrong, policies, "create with a token that names no node", false, AdmissionPolicies.Request("CREATE", kind, "seccomp.sha256-aa.node-a", null, own, null, Caller.ServiceAccount(ns, "portcullis-agent")), "names no node");
        Expect(wrong, policies, "report for node-b under its own name and label", false, Create(s => s["spec"]!["nodeName"] = "node-b"), "spec.nodeName");
        Assert.Empty(wrong);
    }

    [Theory]
    [MemberData(nameof(OverlaysWithAgent))]
    public async Task An_agent_writes_Events_only_about_its_own_node(string overlay)
    {
        var (policies, ns) = Load(overlay);
        var store = new InMemoryClusterApi();
        using var lab = new AgentLab(store, "node-a", ociRuntime: null);
        await lab.SyncAsync(); // no runtime configured: the real agent's Event, as a template
        var own = Json(Assert.Single(await store.ListAsync<Corev1Event>("default", cancel: Cancel)));
        Assert.Equal("Node", Str(own["involvedObject"]!["kind"]));
        var kind = ResourceKind.Of<Corev1Event>();
        var me = Caller.Agent(ns, "node-a");
        JsonObject Create(string eventNs, Action<JsonObject> change) =>
            AdmissionPolicies.Request("CREATE", kind, "portcullis-x", eventNs, own.DeepClone().AsObject().Also(e => e["metadata"]!["namespace"] = eventNs).Also(change), null, me);

        var wrong = new List<string>();
        Expect(wrong, policies, "warn about its own node", true, Create("default", _ => { }));
        Expect(wrong, policies, "warn about node-b", false, Create("default", e => e["involvedObject"]!["name"] = "node-b"));
        Expect(wrong, policies, "warn about a pod", false, Create("tenant", e => e["involvedObject"] = new JsonObject { ["kind"] = "Pod", ["namespace"] = "tenant", ["name"] = "web" }));
        Expect(wrong, policies, "warn about its node in a tenant's namespace", false, Create("tenant", _ => { }));
        Expect(wrong, policies, "rewrite an Event", false, AdmissionPolicies.Request("UPDATE", kind, "portcullis-x", "default", own, own, me));
        Expect(wrong, policies, "warn with a token that names no node", false,
            AdmissionPolicies.Request("CREATE", kind, "portcullis-x", "default", own, null, Caller.ServiceAccount(ns, "portcullis-agent")), "names no node");
        Assert.Empty(wrong);
    }

    /// <param name="because">when refused: a text one of the refusals must contain (the rule meant to catch it)</param>
    internal static void Expect(List<string> wrong, AdmissionPolicies policies, string what, bool admitted, JsonObject request, string? because = null)
    {
        var refusals = policies.Refusals(request);
        if (admitted && refusals.Count > 0)
            wrong.Add($"{what}: refused ({string.Join("; ", refusals)})");
        else if (!admitted && refusals.Count == 0)
            wrong.Add($"{what}: admitted");
        else if (!admitted && because is not null && !refusals.Any(r => r.Contains(because, StringComparison.Ordinal)))
            wrong.Add($"{what}: refused, but not because {because} ({string.Join("; ", refusals)})");
    }

    internal static (AdmissionPolicies Policies, string Namespace) Load(string overlay)
    {
        var objects = Render(overlay);
        var policies = AdmissionPolicies.From(objects);
        Assert.True(policies.Count > 0, $"{overlay} renders no admission policy");
        return (policies, Str(Single(objects, "Namespace")["metadata"]!["name"])!);
    }

    internal static JsonObject Json<T>(T item) => JsonNode.Parse(KubernetesJson.Serialize(item))!.AsObject();

    private static ProfileAgent Agent(IClusterApi api, AgentLab lab, string nodeName) =>
        new(api, new SeccompVariantStore(lab.Seccomp), new ProfileFileStore(lab.Options.AppArmorRoot, ""), lab.AppArmor, lab.Options with { NodeName = nodeName }, lab.Time, NullLogger<ProfileAgent>.Instance);
}
