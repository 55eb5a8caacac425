using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Portcullis.Runtime.Hosting;
using Portcullis.Runtime.Resources;
using Portcullis.Runtime.Status;

namespace Portcullis.Runtime.Tests;

/// <summary>The program's own host, out of cluster against the API fake: health, readiness, metrics, status.</summary>
public sealed class HostTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_agent_is_live_at_once_ready_after_its_first_sync_and_exports_metrics()
    {
        using var lab = new AgentLab(appArmor: false);
        await lab.Api.CreateAsync(AgentLab.Profile<SeccompProfileResource>("sha256-aa", WebhookLab.SeccompProfile), Cancel);
        var options = lab.Options with { HttpPort = FreePort.Next(), HttpsPort = FreePort.Next(), ListenAddress = "127.0.0.1" };
        await using var app = RuntimeHost.Build(Role.Agent, options, lab.Api, [], lab.AppArmor, time: new FakeTimeProvider(DateTimeOffset.UtcNow));
        await app.StartAsync(Cancel);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{options.HttpPort}") };

        Assert.Equal("ok", await client.GetStringAsync("/healthz", Cancel));
        Assert.Equal([$"http://127.0.0.1:{options.HttpPort}"], app.Urls); // bound to the one address asked for
        await app.Services.GetRequiredService<Readiness>().WhenReadyAsync(Cancel);
        Assert.Equal("ok", await client.GetStringAsync("/readyz", Cancel));
        Assert.True(File.Exists(lab.Seccomp.PathOf("sha256-aa")));

        // The agent's clock never moves, so its resync period never passes: only the watch event can bring the new profile.
        await lab.Api.WaitUntilAsync(() => lab.Api.Watching<SeccompProfileResource>() > 0, Cancel);
        await lab.Api.CreateAsync(AgentLab.Profile<SeccompProfileResource>("sha256-bb", WebhookLab.SeccompProfile + " "), Cancel);
        await lab.Api.WaitUntilAsync(() => lab.Api.ListAsync<ProfileNodeStatusResource>().Result.Any(s => s.Spec.ProfileName == "sha256-bb"), Cancel);
        Assert.True(File.Exists(lab.Seccomp.PathOf("sha256-bb")), "the agent reports a profile after writing its file");

        var metrics = await client.GetStringAsync("/metrics", Cancel);
        // metrics are process-wide and other tests' agents run in parallel: check the series exist, not their values
        Assert.Matches(@"(?m)^portcullis_node_profiles\{type=""seccomp"",state=""files""\} \d+$", metrics);
        Assert.Contains("# TYPE portcullis_admission_duration_seconds histogram", metrics, StringComparison.Ordinal);
        await app.StopAsync(Cancel);
    }

    [Fact]
    public async Task Cluster_status_lists_profiles_node_states_and_bound_pods()
    {
        using var lab = new AgentLab();
        await lab.Api.CreateAsync(AgentLab.Profile<SeccompProfileResource>("sha256-aa", WebhookLab.SeccompProfile), Cancel);
        await lab.SyncAsync();
        await lab.Api.CreateAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = "api-1",
                NamespaceProperty = "shop",
                Labels = new Dictionary<string, string> { ["portcullis.dev/bound"] = "true" },
                Annotations = new Dictionary<string, string> { ["portcullis.dev/bindings"] = """[{"container":"api","image":"r/x:1","seccomp":{"type":"Seccomp","profile":"sha256-aa","localhost":"portcullis/sha256-aa.json","from":"image"}}]""" },
            },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "api", Image = "r/x:1" }], SchedulingGates = [new V1PodSchedulingGate { Name = "portcullis.dev/profiles" }] },
        }, Cancel);

        var text = await ClusterStatusReport.WriteAsync(lab.Api, Cancel);
        Assert.Contains("PROFILES (1)", text, StringComparison.Ordinal);
        Assert.Matches(@"node-a\s+Seccomp\s+sha256-aa\s+Installed", text);
        Assert.Matches(@"shop/api-1\s+api\s+sha256-aa\s+-\s+yes", text);
    }
}
