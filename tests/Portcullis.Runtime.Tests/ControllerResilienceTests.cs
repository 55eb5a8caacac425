using System.Net;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Portcullis.Oci.References;
using Portcullis.Runtime.Resources;

namespace Portcullis.Runtime.Tests;

/// <summary>
/// One pod cannot stop the controller: bindings that are broken or hostile, and a registry that parks every
/// request, cost only their own pod or profile. In-memory API (a FAKE), the webhook lab's real registry,
/// real agents, and the controller's clock in the test's hand.
/// </summary>
public sealed class ControllerResilienceTests(WebhookLab webhook) : IClassFixture<WebhookLab>, IDisposable
{
    private readonly ControllerLab _lab = new(webhook);
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("{not json")]
    [InlineData("[null]")]
    [InlineData("""[{"container":null,"seccomp":null}]""")]
    [InlineData("ARTIFACT-WITHOUT-SUBJECT")]
    public async Task A_broken_bindings_annotation_costs_only_its_own_pod(string annotation)
    {
        var name = ProfileNames.ForArtifact(webhook.MigrateSeccompArtifact);
        var broken = ControllerLab.ForgedPod("shop", $"{webhook.Registry}/shop/migrate@{webhook.MigrateDigest}", name, $"{webhook.Registry}/shop/migrate@{webhook.MigrateSeccompArtifact}", webhook.MigrateDigest.ToString());
        broken.Metadata.Annotations["portcullis.dev/bindings"] = annotation == "ARTIFACT-WITHOUT-SUBJECT"
            ? $$$"""[{"container":"c","image":"x","seccomp":{"type":"Seccomp","profile":"{{{name}}}","localhost":"portcullis/{{{name}}}.json","artifact":"{{{webhook.Registry}}}/shop/migrate@{{{webhook.MigrateSeccompArtifact}}}","from":"image"}}]"""
            : annotation;
        await _lab.Api.CreateAsync(broken, Cancel);
        var victim = await _lab.AdmitAsync();
        using var agent = new AgentLab(_lab.Api, "node-a", appArmor: true);

        for (var i = 0; i < 3; i++)
        {
            await _lab.ReconcileAsync();
            await agent.SyncAsync();
        }
        await _lab.ReconcileAsync();
        Assert.False(ControllerLab.IsGated(await _lab.PodAsync(victim)));
    }

    [Fact]
    public async Task A_registry_that_parks_a_forged_bindings_fetch_holds_back_no_other_pod_and_the_fetch_ends_at_its_deadline()
    {
        await using var parking = new ParkingRegistry();
        var image = Digest.Sha256("image"u8);
        var artifact = Digest.Sha256("artifact"u8);
        using var agent = new AgentLab(_lab.Api, "node-a", appArmor: true);
        var first = await _lab.AdmitAsync();
        for (var i = 0; i < 2; i++)
        {
            await _lab.ReconcileAsync();
            await agent.SyncAsync();
        }
        Assert.False(ControllerLab.IsGated(await _lab.PodAsync(first)));
        var victim = await _lab.AdmitAsync();
        var forged = await _lab.Api.CreateAsync(ControllerLab.ForgedPod("shop", $"{parking.Host}/evil/app@{image}", ProfileNames.ForArtifact(artifact), $"{parking.Host}/evil/app@{artifact}", image.ToString()), Cancel);

        // One pass, not waiting for its fetches: the victim's gate lifts while the forged binding's fetch is parked.
        var pass = await _lab.Reconciler.ReconcileAsync(Cancel);
        Assert.Equal(1, pass.GatesRemoved);
        Assert.False(ControllerLab.IsGated(await _lab.PodAsync(victim)));
        Assert.Equal(1, _lab.Reconciler.Fetching);
        await parking.Asked.WaitAsync(Cancel);

        _lab.Time.Advance(_lab.Options.FetchDeadline);
        await _lab.Reconciler.FetchesDoneAsync(Cancel);
        var events = await _lab.Api.ListAsync<Corev1Event>("shop", cancel: Cancel);
        Assert.Contains(events, e => e.InvolvedObject.Name == forged.Metadata.Name && e.Reason == "ProfileUnavailable" && e.Message.Contains("no answer within 60 s", StringComparison.Ordinal));
        Assert.True(ControllerLab.IsGated((await _lab.Api.GetAsync<V1Pod>("shop", forged.Metadata.Name, Cancel))!));
    }

    /// <summary>A registry that takes every request and answers none until the caller gives up; then 503 with Retry-After: 60.</summary>
    private sealed class ParkingRegistry : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly TaskCompletionSource _asked = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ParkingRegistry()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
            _app = builder.Build();
            _app.Map("/{**path}", async (HttpContext http) =>
            {
                _asked.TrySetResult();
                await Task.Delay(Timeout.Infinite, http.RequestAborted).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                http.Response.Headers.RetryAfter = "60";
                return Results.StatusCode(503);
            });
            _app.StartAsync().GetAwaiter().GetResult();
            Host = new Uri(_app.Urls.First()).Authority;
        }

        public string Host { get; }

        public Task Asked => _asked.Task;

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }

    public void Dispose() => _lab.Dispose();
}
