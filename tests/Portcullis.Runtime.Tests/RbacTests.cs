using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Portcullis.Runtime.Controller;
using Portcullis.Runtime.Hosting;
using Portcullis.Runtime.Kubernetes;
using Portcullis.Runtime.Resources;
using static Portcullis.Runtime.Tests.Manifests;

namespace Portcullis.Runtime.Tests;

/// <summary>
/// RBAC covers what the code calls: each role runs its real code paths (the webhook over HTTPS, the
/// controller's service loop, the agent's service loop and uninstall) against the in-memory API, which
/// records every request; each request must be allowed for that role's service account by the RBAC that
/// every overlay renders.
/// </summary>
public sealed class RbacTests(WebhookLab webhook) : IClassFixture<WebhookLab>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_API_call_the_manager_and_the_agent_make_is_allowed_by_their_roles_and_least_privilege_holds()
    {
        var manager = await ManagerRequestsAsync();
        var agent = await AgentRequestsAsync();
        Assert.Contains(manager, r => r.Verb == "patch" && r.Type == typeof(V1Pod));
        Assert.Contains(manager, r => r.Verb == "watch" && r.Type == typeof(V1Pod));
        Assert.Contains(agent, r => r.Verb == "delete" && r.Type == typeof(ProfileNodeStatusResource));

        foreach (var overlay in Manifests.Overlays)
        {
            var objects = Render(overlay);
            var ns = Str(Single(objects, "Namespace")["metadata"]!["name"])!;
            Check(objects, "portcullis-manager", ns, manager, overlay);
            if (objects.Any(o => Str(o["kind"]) == "DaemonSet"))
                Check(objects, "portcullis-agent", ns, agent, overlay);

            // least privilege: the agent never sees pods or secrets, the manager never deletes pods or touches other webhooks
            var granted = new (string Account, string Verb, string Group, string Resource, string? Ns, string? Name)[]
            {
                ("portcullis-agent", "list", "", "pods", null, null),
                ("portcullis-agent", "get", "", "secrets", "shop", "regcred"),
                ("portcullis-agent", "create", "", "nodes", null, null),
                ("portcullis-agent", "delete", "", "nodes", null, "node-b"),
                ("portcullis-agent", "update", "", "nodes", null, "node-b"),
                ("portcullis-agent", "patch", "", "nodes/status", null, "node-b"),
                ("portcullis-agent", "update", "portcullis.dev", "seccompprofiles", null, "sha256-aa"),
                // it creates Events (about its own node only: AgentAdmissionPolicyTests), never changes or deletes one
                ("portcullis-agent", "update", "", "events", "shop", "x"),
                ("portcullis-agent", "delete", "", "events", "default", "x"),
                ("portcullis-manager", "delete", "", "pods", "shop", "x"),
                ("portcullis-manager", "create", "", "pods", "shop", null),
                ("portcullis-manager", "update", "", "pods", "shop", "x"),
                ("portcullis-manager", "create", "", "pods/eviction", "shop", "x"),
                ("portcullis-manager", "patch", "", "pods/status", "shop", "x"),
                ("portcullis-manager", "patch", "", "nodes", null, "node-a"),
                ("portcullis-manager", "patch", "admissionregistration.k8s.io", "mutatingwebhookconfigurations", null, "someone-elses"),
                ("portcullis-manager", "delete", "admissionregistration.k8s.io", "mutatingwebhookconfigurations", null, "portcullis"),
                ("portcullis-manager", "patch", "admissionregistration.k8s.io", "validatingwebhookconfigurations", null, "portcullis"),
                ("portcullis-manager", "list", "", "secrets", null, null),
                ("portcullis-manager", "watch", "", "secrets", "shop", null),
                ("portcullis-manager", "update", "", "secrets", "shop", "regcred"),
                ("portcullis-manager", "get", "", "configmaps", "shop", "app-config"),
                ("portcullis-manager", "create", "rbac.authorization.k8s.io", "rolebindings", "shop", null),
                ("portcullis-manager", "update", "portcullis.dev", "profilenodestatuses", null, "seccomp.sha256-aa.node-a"),
            }.Where(r => Rbac.Allows(objects, r.Account, ns, r.Verb, r.Group, r.Resource, r.Ns, r.Name)).ToList();
            Assert.True(granted.Count == 0, $"{overlay}: granted {string.Join("; ", granted)}");
            if (overlay == "overlays/namespaced-pull-secrets")
                Assert.False(Rbac.Allows(objects, "portcullis-manager", ns, "get", "", "secrets", "kube-system", "x"), "pull secrets outside the namespaces that bind");
            // and no role holds a right that no call of its code uses
            EveryRightHasACall(objects, "portcullis-manager", ns, manager, overlay, LeaderElection);
            if (objects.Any(o => Str(o["kind"]) == "DaemonSet"))
                EveryRightHasACall(objects, "portcullis-agent", ns, agent, overlay, []);
            // leader election goes through the client's LeaseLock, not the seam: its calls are listed here
            foreach (var verb in new[] { "get", "update" })
                Assert.True(Rbac.Allows(objects, "portcullis-manager", ns, verb, "coordination.k8s.io", "leases", ns, new RuntimeOptions().LeaseName), $"{overlay}: {verb} lease");
            Assert.True(Rbac.Allows(objects, "portcullis-manager", ns, "create", "coordination.k8s.io", "leases", ns, null), overlay);
        }
    }

    [Fact]
    public void A_Secret_that_is_not_a_pull_secret_gives_no_credentials_even_when_a_pod_names_it()
    {
        // RBAC lets the manager get any Secret a pod names; a tenant naming a service-account token or an Opaque
        // Secret shaped like a pull secret must not make it use (or forward) that Secret's data.
        var config = "{\"auths\":{\"r.example\":{\"username\":\"u\",\"password\":\"p\"}}}"u8.ToArray();
        V1Secret Secret(string type) => new() { Type = type, Data = new Dictionary<string, byte[]> { [".dockerconfigjson"] = config } };
        Assert.Equal("u", Registry.PullSecretReader.Read([Secret("kubernetes.io/dockerconfigjson")]).For("r.example")!.Username);
        Assert.Null(Registry.PullSecretReader.Read([Secret("Opaque")]).For("r.example"));
        Assert.Null(Registry.PullSecretReader.Read([Secret("kubernetes.io/service-account-token")]).For("r.example"));
    }

    /// <summary>The calls the client library's LeaseLock makes itself, outside the seam the lab records.</summary>
    private static readonly (string Verb, string Group, string Resource)[] LeaderElection =
        [("get", "coordination.k8s.io", "leases"), ("update", "coordination.k8s.io", "leases"), ("create", "coordination.k8s.io", "leases")];

    private static void EveryRightHasACall(IReadOnlyList<System.Text.Json.Nodes.JsonObject> objects, string account, string ns, IReadOnlyCollection<(string Verb, Type Type, string? Namespace, string? Name)> requests, string overlay, (string Verb, string Group, string Resource)[] outsideTheSeam)
    {
        var unused = new List<string>();
        foreach (var (rule, _) in Rbac.Rules(objects, account, ns))
        {
            var names = rule["resourceNames"]?.AsArray().Select(Str).ToHashSet();
            foreach (var group in rule["apiGroups"]!.AsArray().Select(g => Str(g)!))
            foreach (var resource in rule["resources"]!.AsArray().Select(r => Str(r)!))
            foreach (var verb in rule["verbs"]!.AsArray().Select(v => Str(v)!))
            {
                var used = outsideTheSeam.Contains((verb, group, resource)) || requests.Any(r =>
                {
                    var kind = ResourceKind.Of(r.Type);
                    return kind.Group == group && kind.Plural == resource && (r.Verb == "replace" ? "update" : r.Verb) == verb && (names is null || names.Contains(r.Name));
                });
                if (!used)
                    unused.Add($"{verb} {group}/{resource}{(names is null ? "" : " " + string.Join(",", names))}");
            }
        }
        Assert.True(unused.Count == 0, $"{overlay}: {account} holds rights no code path uses: {string.Join("; ", unused)}");
    }

    private static void Check(IReadOnlyList<System.Text.Json.Nodes.JsonObject> objects, string account, string ns, IReadOnlyCollection<(string Verb, Type Type, string? Namespace, string? Name)> requests, string overlay)
    {
        foreach (var (verb, type, requestNs, name) in requests.Distinct())
        {
            var kind = ResourceKind.Of(type);
            // the code runs in "portcullis-system"; an overlay installs elsewhere, and the code follows
            var actualNs = requestNs == "portcullis-system" ? ns : requestNs;
            var rbacVerb = verb == "replace" ? "update" : verb;
            Assert.True(Rbac.Allows(objects, account, ns, rbacVerb, kind.Group, kind.Plural, kind.Namespaced ? actualNs : null, name),
                $"{overlay}: {account} may not {rbacVerb} {kind.Plural}{(name is null ? "" : " " + name)}{(actualNs is null ? "" : " in " + actualNs)}");
        }
    }

    private async Task<IReadOnlyCollection<(string Verb, Type Type, string? Namespace, string? Name)>> ManagerRequestsAsync()
    {
        var requests = new List<(string Verb, Type Type, string? Namespace, string? Name)>();
        using var lab = new ControllerLab(webhook);
        await lab.Api.CreateAsync(new V1MutatingWebhookConfiguration
        {
            Metadata = new V1ObjectMeta { Name = "portcullis" },
            Webhooks = [new V1MutatingWebhook { Name = "pods.portcullis.dev", ClientConfig = new Admissionregistrationv1WebhookClientConfig(), AdmissionReviewVersions = ["v1"], SideEffects = "None" }],
        }, Cancel);

        // a hand-made profile bound by a ProfileBinding, to a pod that names its node
        await webhook.Api.CreateAsync(AgentLab.Profile<SeccompProfileResource>("hand-made", WebhookLab.SeccompProfile), Cancel);
        await webhook.Api.CreateAsync(AgentLab.Profile<AppArmorProfileResource>("hand-made", WebhookLab.AppArmorProfile), Cancel);
        await webhook.Api.CreateAsync(new ProfileBindingResource
        {
            Metadata = new() { Name = "proxies", NamespaceProperty = "shop" },
            Spec = new() { Image = "**/shop/proxy:*", SeccompProfile = "hand-made", AppArmorProfile = "hand-made", PodSelector = new() { MatchLabels = new Dictionary<string, string> { ["run"] = "nginx" } } },
        }, Cancel);
        webhook.Api.Requests.Clear();
        var hand = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Repo.Data("k8s/admissionreview-pod-create.json")))!;
        hand["request"]!["namespace"] = "shop";
        hand["request"]!["object"]!["metadata"]!["namespace"] = "shop";
        hand["request"]!["object"]!["spec"]!["nodeName"] = "node-a";
        hand["request"]!["object"]!["spec"]!["containers"]![0]!["image"] = $"{webhook.Registry}/shop/proxy:2.0";
        await webhook.ReviewAsync(hand);
        var pod = await lab.AdmitAsync();
        var unreachable = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Repo.Data("k8s/admissionreview-pod-create.json")))!;
        unreachable["request"]!["object"]!["spec"]!["containers"]![0]!["image"] = "127.0.0.1:1/library/nginx:latest";
        unreachable["request"]!["namespace"] = "shop"; // the namespace overlays/namespaced-pull-secrets binds
        unreachable["request"]!["object"]!["metadata"]!["namespace"] = "shop";
        await webhook.ReviewAsync(unreachable);
        await webhook.EventsWrittenAsync();
        requests.AddRange(webhook.Api.Requests);

        using var a = new AgentLab(lab.Api, "node-a", appArmor: true);
        await a.SyncAsync();
        lab.Api.Requests.Clear();
        var service = new ControllerService(lab.Api, lab.Reconciler, new WebhookCertificates(lab.Api, lab.Options, lab.Time), lab.Options, NullLogger<ControllerService>.Instance);
        await service.StartAsync(Cancel);
        // the controller creates the pod's profiles, the agent reports them loaded, the controller lifts the gate
        var bound = ControllerLab.Profiles(pod);
        await lab.Api.WaitUntilAsync(() => bound.All(p => p.Type == ProfileType.Seccomp
            ? lab.Api.GetAsync<SeccompProfileResource>(null, p.ResourceName).Result is not null
            : lab.Api.GetAsync<AppArmorProfileResource>(null, p.ResourceName).Result is not null), Cancel);
        await a.SyncAsync();
        await lab.Api.WaitUntilAsync(() => !ControllerLab.IsGated(lab.Api.GetAsync<V1Pod>("shop", pod.Metadata.Name).Result!), Cancel);
        await service.StopAsync(Cancel);
        Assert.False(ControllerLab.IsGated(await lab.PodAsync(pod)));
        // the pod goes, and after a while so do its profiles; a year on, the certificate is renewed
        await lab.Api.DeleteAsync<V1Pod>("shop", pod.Metadata.Name, Cancel);
        lab.Time.Advance(lab.Options.GarbageCollectAfter + TimeSpan.FromDays(1));
        Assert.True((await lab.ReconcileAsync()).ProfilesDeleted > 0);
        lab.Time.Advance(TimeSpan.FromDays(400));
        Assert.True(await new WebhookCertificates(lab.Api, lab.Options, lab.Time).EnsureAsync(Cancel));
        requests.AddRange(lab.Api.Requests.Where(r => r.Type != typeof(V1DaemonSet)).Where(r => !(r.Type == typeof(V1Pod) && r.Verb == "delete")).Where(r => !(r.Type == typeof(ProfileNodeStatusResource) && r.Verb is "create" or "replace")).Where(r => !(r.Type == typeof(V1Node) && r.Verb == "patch")));
        return requests;
    }

    private static async Task<IReadOnlyCollection<(string Verb, Type Type, string? Namespace, string? Name)>> AgentRequestsAsync()
    {
        using var lab = new AgentLab(ociRuntime: null); // unknown runtime: it also warns in an Event
        await lab.Api.CreateAsync(AgentLab.Profile<SeccompProfileResource>("sha256-aa", WebhookLab.SeccompProfile), Cancel);
        lab.Api.Requests.Clear();
        var readiness = new Readiness();
        readiness.Expect(Role.Agent);
        var service = new AgentService(lab.Api, lab.Agent, readiness, lab.Options, NullLogger<AgentService>.Instance);
        await service.StartAsync(Cancel);
        await readiness.WhenReadyAsync(Cancel);
        var profile = (await lab.Api.GetAsync<SeccompProfileResource>(null, "sha256-aa", Cancel))!;
        profile.Spec = AgentLab.Profile<SeccompProfileResource>("sha256-aa", WebhookLab.SeccompProfile.Replace("SCMP_ACT_ERRNO", "SCMP_ACT_KILL_PROCESS", StringComparison.Ordinal)).Spec;
        await lab.Api.ReplaceAsync(profile, Cancel);
        await lab.SyncAsync(); // the status follows the new content
        await lab.Api.DeleteAsync<SeccompProfileResource>(null, "sha256-aa", Cancel);
        await lab.SyncAsync();
        await service.StopAsync(Cancel); // no DaemonSet: this is an uninstall
        Assert.Empty(lab.Seccomp.Names());
        return lab.Api.Requests.Where(r => !(r.Type == typeof(SeccompProfileResource) && r.Verb is "delete" or "get" or "replace")).ToList();
    }
}
