using k8s.Models;
using Portcullis.Runtime.Kubernetes;
using Portcullis.Runtime.Resources;

namespace Portcullis.Runtime.Tests;

/// <summary>The real client on the wire, against a fake API server over HTTP (no real one can run here).</summary>
public sealed class KubernetesClusterApiTests : IAsyncDisposable
{
    private readonly ApiServerFacade _server = new(new InMemoryClusterApi());
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Custom_resources_go_to_their_group_paths_and_round_trip()
    {
        using var api = _server.Client();
        var created = await api.CreateAsync(AgentLab.Profile<SeccompProfileResource>("sha256-aa", WebhookLab.SeccompProfile), Cancel);
        Assert.NotNull(created.Metadata.Uid);
        var read = await api.GetAsync<SeccompProfileResource>(null, "sha256-aa", Cancel);
        Assert.Equal(WebhookLab.SeccompProfile, read!.Spec.Content);
        read.Status = new ProfileStatus { Phase = ProfilePhase.Installed };
        await api.ReplaceAsync(read, Cancel);
        Assert.Equal(ProfilePhase.Installed, (await api.GetAsync<SeccompProfileResource>(null, "sha256-aa", Cancel))!.Status!.Phase);
        Assert.Contains("POST /apis/portcullis.dev/v1alpha1/seccompprofiles", _server.Seen);
        Assert.Contains("PUT /apis/portcullis.dev/v1alpha1/seccompprofiles/sha256-aa", _server.Seen);

        var stale = read;
        var ex = await Assert.ThrowsAsync<ClusterApiException>(() => api.ReplaceAsync(stale, Cancel));
        Assert.True(ex.IsConflict);
        Assert.Null(await api.GetAsync<SeccompProfileResource>(null, "missing", Cancel));
        await api.DeleteAsync<SeccompProfileResource>(null, "sha256-aa", Cancel);
        await api.DeleteAsync<SeccompProfileResource>(null, "sha256-aa", Cancel);
        Assert.Null(await api.GetAsync<SeccompProfileResource>(null, "sha256-aa", Cancel));
    }

    [Fact]
    public async Task Lists_follow_continue_tokens_and_selectors_and_pods_are_patched_with_JSON_Patch()
    {
        for (var i = 0; i < 1203; i++)
        {
            await _server.Backend.CreateAsync(new V1Pod
            {
                Metadata = new V1ObjectMeta { Name = $"p{i}", NamespaceProperty = "shop", Labels = new Dictionary<string, string> { ["portcullis.dev/bound"] = i % 2 == 0 ? "true" : "false" } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "i" }], SchedulingGates = [new V1PodSchedulingGate { Name = RuntimeNames.SchedulingGate }] },
            }, Cancel);
        }
        using var api = _server.Client();
        Assert.Equal(1203, (await api.ListAsync<V1Pod>(cancel: Cancel)).Count);
        Assert.Equal(602, (await api.ListAsync<V1Pod>(labelSelector: "portcullis.dev/bound=true", cancel: Cancel)).Count);
        Assert.Contains(_server.Seen, s => s.StartsWith("GET /api/v1/pods?", StringComparison.Ordinal) && s.Contains("continue=1000", StringComparison.Ordinal));

        await api.PatchAsync<V1Pod>("shop", "p0", [PatchOperation.Test("/spec/schedulingGates/0/name", RuntimeNames.SchedulingGate), PatchOperation.Remove("/spec/schedulingGates/0")], Cancel);
        Assert.Empty((await api.GetAsync<V1Pod>("shop", "p0", Cancel))!.Spec.SchedulingGates ?? []);
        var failed = await Assert.ThrowsAsync<ClusterApiException>(() => api.PatchAsync<V1Pod>("shop", "p0", [PatchOperation.Test("/spec/schedulingGates/0/name", RuntimeNames.SchedulingGate)], Cancel));
        Assert.Equal(System.Net.HttpStatusCode.UnprocessableEntity, failed.Status);
    }

    [Fact]
    public async Task Watches_wake_the_caller_and_the_version_is_read()
    {
        using var api = _server.Client();
        Assert.Equal((1, 32), await api.ServerVersionAsync(Cancel));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var watching = Task.Run(async () =>
        {
            await foreach (var name in api.ChangesAsync<SeccompProfileResource>(cancel: stop.Token))
            {
                if (name == "sha256-bb")
                {
                    seen.TrySetResult(name);
                    return;
                }
            }
        }, stop.Token);
        // Created only once the fake server's watch is open, so the change cannot slip by before it; then wait for the event itself.
        await _server.Backend.WaitUntilAsync(() => _server.Backend.Watching<SeccompProfileResource>() > 0, Cancel);
        await _server.Backend.CreateAsync(AgentLab.Profile<SeccompProfileResource>("sha256-bb", WebhookLab.SeccompProfile), Cancel);
        Assert.Equal("sha256-bb", await seen.Task.WaitAsync(Cancel));
        await stop.CancelAsync();
        await watching.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();
}

/// <summary>The controller and two node agents talking through the real client to the fake API server.</summary>
public sealed class ThroughTheRealClientTests(WebhookLab webhook) : IClassFixture<WebhookLab>
{
    [Fact]
    public async Task A_bound_pod_is_released_once_the_agents_installed_its_profiles()
    {
        var backend = new InMemoryClusterApi();
        await using var server = new ApiServerFacade(backend);
        using var client = server.Client();
        using var lab = new ControllerLab(webhook, client, backend);
        var pod = await lab.AdmitAsync();
        using var a = new AgentLab(backend, "node-a", appArmor: true);
        var agent = new Portcullis.Runtime.NodeAgent.ProfileAgent(client, new Portcullis.Runtime.NodeAgent.SeccompVariantStore(a.Seccomp), new Portcullis.Runtime.NodeAgent.ProfileFileStore(a.Options.AppArmorRoot, ""), a.AppArmor, a.Options, a.Time, Microsoft.Extensions.Logging.Abstractions.NullLogger<Portcullis.Runtime.NodeAgent.ProfileAgent>.Instance);

        await agent.SyncAsync(TestContext.Current.CancellationToken);
        Assert.Equal(3, (await lab.ReconcileAsync()).ProfilesCreated);
        await agent.SyncAsync(TestContext.Current.CancellationToken);
        Assert.Equal(1, (await lab.ReconcileAsync()).GatesRemoved);
        Assert.False(ControllerLab.IsGated(await lab.PodAsync(pod)));
        Assert.Equal(2, a.Seccomp.Names().Count);
        Assert.Contains(server.Seen, s => s.StartsWith("PATCH /api/v1/namespaces/shop/pods/", StringComparison.Ordinal));
        Assert.Contains(server.Seen, s => s.StartsWith("PATCH /api/v1/nodes/node-a", StringComparison.Ordinal));
        Assert.Contains(server.Seen, s => s.StartsWith("POST /apis/portcullis.dev/v1alpha1/profilenodestatuses", StringComparison.Ordinal));
    }
}
