using k8s.Models;
using Portcullis.Runtime.Resources;

namespace Portcullis.Runtime.Tests;

/// <summary>
/// The controller plays against a tenant who writes its own pods' labels and annotations (the webhook sees
/// only CREATE, so an annotation can be rewritten later) in the in-memory API (a FAKE: no API server here),
/// with the real registry of the webhook lab and real node agents. The victim is the lab's shop/checkout pod.
/// </summary>
public sealed class BindingTrustTests(WebhookLab webhook) : IClassFixture<WebhookLab>, IDisposable
{
    private const string AllowAll = """{"defaultAction":"SCMP_ACT_ALLOW"}""";
    private readonly ControllerLab _lab = new(webhook);
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private string VictimName => ProfileNames.ForArtifact(webhook.CheckoutSeccompArtifact);

    [Fact]
    public async Task A_forged_binding_in_another_namespace_naming_the_victims_profile_never_becomes_the_victims_profile()
    {
        var (evilImage, evilArtifact) = await webhook.PushImageAsync($"tenant/evil:{Guid.NewGuid():N}", AllowAll);
        await _lab.Api.CreateAsync(ControllerLab.Namespace("tenant"), Cancel);
        await _lab.Api.CreateAsync(ControllerLab.ForgedPod("tenant", $"{webhook.Registry}/tenant/evil@{evilImage}", VictimName,
            $"{webhook.Registry}/tenant/evil@{evilArtifact}", evilImage.ToString()), Cancel);
        using var agent = new AgentLab(_lab.Api, "node-a", appArmor: true);
        await agent.SyncAsync();
        await _lab.ReconcileAsync(); // the tenant's pod comes first

        var victim = await _lab.AdmitAsync();
        await SettleAsync(agent);

        var profile = (await _lab.Api.GetAsync<SeccompProfileResource>(null, VictimName, Cancel))!;
        Assert.Equal(WebhookLab.SeccompProfile, profile.Spec.Content);
        Assert.Equal(webhook.CheckoutSeccompArtifact.ToString(), profile.Spec.Source!.ArtifactDigest);
        Assert.Equal(WebhookLab.SeccompProfile, File.ReadAllText(agent.Seccomp.PathOf(VictimName)));
        Assert.False(ControllerLab.IsGated(await _lab.PodAsync(victim)));
        Assert.DoesNotContain(await _lab.Api.ListAsync<SeccompProfileResource>(cancel: Cancel), p => p.Spec.Content == AllowAll);
        var events = await _lab.Api.ListAsync<Corev1Event>("tenant", cancel: Cancel);
        Assert.Contains(events, e => e.Reason == "BindingIgnored" && e.Message.Contains("not the artifact that name stands for", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(ProfilePhase.Installed)]
    [InlineData(ProfilePhase.Rejected)]
    public async Task A_squat_left_under_the_victims_name_is_deleted_and_the_victim_gets_its_real_profile(string phase)
    {
        // What a forged binding made before names were derived: the victim's name, another artifact's content.
        var (evilImage, evilArtifact) = await webhook.PushImageAsync($"tenant/evil:{Guid.NewGuid():N}", AllowAll);
        var squat = AgentLab.Profile<SeccompProfileResource>(VictimName, AllowAll);
        squat.Spec.Source = new ProfileSource { Registry = webhook.Registry, Repository = "tenant/evil", ImageDigest = evilImage.ToString(), ArtifactDigest = evilArtifact.ToString() };
        squat.Status = new ProfileStatus { Phase = phase };
        squat.Metadata.Finalizers = ["portcullis.dev/in-use"];
        await _lab.Api.CreateAsync(squat, Cancel);
        using var agent = new AgentLab(_lab.Api, "node-a", appArmor: true);
        await agent.SyncAsync();

        var victim = await _lab.AdmitAsync();
        await SettleAsync(agent);

        var profile = (await _lab.Api.GetAsync<SeccompProfileResource>(null, VictimName, Cancel))!;
        Assert.Equal(WebhookLab.SeccompProfile, profile.Spec.Content);
        Assert.Equal(WebhookLab.SeccompProfile, File.ReadAllText(agent.Seccomp.PathOf(VictimName)));
        Assert.False(ControllerLab.IsGated(await _lab.PodAsync(victim)));
        Assert.Contains(await _lab.Api.ListAsync<Corev1Event>("shop", cancel: Cancel), e => e.Reason == "ProfileConflict" && e.InvolvedObject.Name == victim.Metadata.Name);
    }

    [Fact]
    public async Task A_profile_a_person_made_under_the_victims_name_is_not_overwritten_and_keeps_the_victim_gated_until_it_is_deleted()
    {
        await _lab.Api.CreateAsync(AgentLab.Profile<SeccompProfileResource>(VictimName, AllowAll), Cancel);
        using var agent = new AgentLab(_lab.Api, "node-a", appArmor: true);
        var victim = await _lab.AdmitAsync();
        await SettleAsync(agent);

        Assert.True(ControllerLab.IsGated(await _lab.PodAsync(victim)));
        Assert.Equal(AllowAll, (await _lab.Api.GetAsync<SeccompProfileResource>(null, VictimName, Cancel))!.Spec.Content);
        Assert.Contains(await _lab.Api.ListAsync<Corev1Event>("shop", cancel: Cancel), e => e.Reason == "ProfileConflict" && e.Message.Contains(VictimName, StringComparison.Ordinal));

        await _lab.Api.DeleteAsync<SeccompProfileResource>(null, VictimName, Cancel);
        Assert.Null(await _lab.Api.GetAsync<SeccompProfileResource>(null, VictimName, Cancel)); // it held no finalizer for a pod it does not serve
        await SettleAsync(agent);
        Assert.Equal(WebhookLab.SeccompProfile, (await _lab.Api.GetAsync<SeccompProfileResource>(null, VictimName, Cancel))!.Spec.Content);
        Assert.False(ControllerLab.IsGated(await _lab.PodAsync(victim)));
    }

    [Fact]
    public async Task A_binding_whose_subject_is_not_the_image_the_container_runs_is_ignored()
    {
        // The victim's real artifact and subject, claimed for a container that runs another image.
        var (evilImage, _) = await webhook.PushImageAsync($"tenant/evil:{Guid.NewGuid():N}", AllowAll);
        await _lab.Api.CreateAsync(ControllerLab.Namespace("tenant"), Cancel);
        await _lab.Api.CreateAsync(ControllerLab.ForgedPod("tenant", $"{webhook.Registry}/shop/checkout@{evilImage}", VictimName,
            $"{webhook.Registry}/shop/checkout@{webhook.CheckoutSeccompArtifact}", webhook.CheckoutDigest.ToString()), Cancel);

        var pass = await _lab.ReconcileAsync();
        Assert.Equal(0, pass.ProfilesCreated);
        Assert.Contains(await _lab.Api.ListAsync<Corev1Event>("tenant", cancel: Cancel), e => e.Reason == "BindingIgnored" && e.Message.Contains("not the image manifest the container runs", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Pods_outside_the_namespaces_the_webhook_binds_in_are_ignored()
    {
        await _lab.Api.CreateAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "elsewhere" } }, Cancel);
        var pod = await _lab.Api.CreateAsync(ControllerLab.ForgedPod("elsewhere", $"{webhook.Registry}/shop/checkout@{webhook.CheckoutDigest}", VictimName,
            $"{webhook.Registry}/shop/checkout@{webhook.CheckoutSeccompArtifact}", webhook.CheckoutDigest.ToString()), Cancel);
        await _lab.Api.CreateAsync(AgentLab.Profile<SeccompProfileResource>("unrelated", WebhookLab.SeccompProfile), Cancel);

        var pass = await _lab.ReconcileAsync();
        Assert.Equal((0, 0, 0), (pass.ProfilesCreated, pass.GatesRemoved, pass.StillGated));
        Assert.Equal(["unrelated"], (await _lab.Api.ListAsync<SeccompProfileResource>(cancel: Cancel)).Select(p => p.Metadata.Name));
        Assert.True(ControllerLab.IsGated((await _lab.Api.GetAsync<V1Pod>("elsewhere", pod.Metadata.Name, Cancel))!));
    }

    /// <summary>Reconcile, install, reconcile: what the controller and the agents do in a few passes.</summary>
    private async Task SettleAsync(AgentLab agent)
    {
        for (var i = 0; i < 3; i++)
        {
            await _lab.ReconcileAsync();
            await agent.SyncAsync();
        }
        await _lab.ReconcileAsync();
    }

    public void Dispose() => _lab.Dispose();
}
