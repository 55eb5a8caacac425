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
            Assert.False(Rbac.Allows(objects, "portcullis-agent", ns, "list", "", "pods", null, null), overlay);
            Assert.False(Rbac.Allows(objects, "portcullis-agent", ns, "get", "", "secrets", "shop", "regcred"), overlay);
            Assert.False(Rbac.Allows(objects, "portcullis-manager", ns, "delete", "", "pods", "shop", "x"), overlay);
            Assert.False(Rbac.Allows(objects, "portcullis-manager", ns, "patch", "admissionregistration.k8s.io", "mutatingwebhookconfigurations", null, "someone-elses"), overlay);
            Assert.False(Rbac.Allows(objects, "portcullis-manager", ns, "list", "", "secrets", null, null), overlay);
            // leader election goes through the client's LeaseLock, not the seam: its calls are listed here
            foreach (var verb in new[] { "get", "update" })
                Assert.True(Rbac.Allows(objects, "portcullis-manager", ns, verb, "coordination.k8s.io", "leases", ns, new RuntimeOptions().LeaseName), $"{overlay}: {verb} lease");
            Assert.True(Rbac.Allows(objects, "portcullis-manager", ns, "create", "coordination.k8s.io", "leases", ns, null), overlay);
        }
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

        webhook.Api.Requests.Clear();
        var pod = await lab.AdmitAsync();
        var unreachable = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Repo.Data("k8s/admissionreview-pod-create.json")))!;
        unreachable["request"]!["object"]!["spec"]!["containers"]![0]!["image"] = "127.0.0.1:1/library/nginx:latest";
        await webhook.ReviewAsync(unreachable);
        await Task.Delay(300, Cancel);
        requests.AddRange(webhook.Api.Requests);

        using var a = new AgentLab(lab.Api, "node-a", appArmor: true);
        await a.SyncAsync();
        lab.Api.Requests.Clear();
        var service = new ControllerService(lab.Api, lab.Reconciler, new WebhookCertificates(lab.Api, lab.Options, lab.Time), lab.Options, NullLogger<ControllerService>.Instance);
        await service.StartAsync(Cancel);
        for (var i = 0; i < 100 && ControllerLab.IsGated(await lab.PodAsync(pod)); i++)
        {
            await a.SyncAsync();
            await Task.Delay(100, Cancel);
        }
        await service.StopAsync(Cancel);
        Assert.False(ControllerLab.IsGated(await lab.PodAsync(pod)));
        requests.AddRange(lab.Api.Requests.Where(r => r.Type != typeof(V1DaemonSet)).Where(r => !(r.Type == typeof(ProfileNodeStatusResource) && r.Verb is "create" or "replace")).Where(r => !(r.Type == typeof(V1Node) && r.Verb == "patch")));
        return requests;
    }

    private static async Task<IReadOnlyCollection<(string Verb, Type Type, string? Namespace, string? Name)>> AgentRequestsAsync()
    {
        using var lab = new AgentLab();
        await lab.Api.CreateAsync(AgentLab.Profile<SeccompProfileResource>("sha256-aa", WebhookLab.SeccompProfile), Cancel);
        lab.Api.Requests.Clear();
        var readiness = new Readiness();
        readiness.Expect(Role.Agent);
        var service = new AgentService(lab.Api, lab.Agent, readiness, lab.Options, NullLogger<AgentService>.Instance);
        await service.StartAsync(Cancel);
        for (var i = 0; i < 100 && !readiness.IsReady; i++)
            await Task.Delay(50, Cancel);
        await lab.Api.DeleteAsync<SeccompProfileResource>(null, "sha256-aa", Cancel);
        await lab.SyncAsync();
        await service.StopAsync(Cancel); // no DaemonSet: this is an uninstall
        Assert.Empty(lab.Seccomp.Names());
        return lab.Api.Requests.Where(r => !(r.Type == typeof(SeccompProfileResource) && r.Verb == "delete")).ToList();
    }
}
