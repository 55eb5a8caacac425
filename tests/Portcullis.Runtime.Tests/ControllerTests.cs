using System.Security.Cryptography;
using System.Text;
using k8s.Models;
using Portcullis.Oci;
using Portcullis.Oci.Model;
using Portcullis.Oci.References;
using Portcullis.Oci.Signing;
using Portcullis.Runtime.Kubernetes;
using Portcullis.Runtime.Resources;

namespace Portcullis.Runtime.Tests;

/// <summary>
/// The controller's reconcile against the in-memory API (a FAKE: no API server here) and the real registry
/// of the webhook lab, with real node agents writing into temporary roots.
/// </summary>
public sealed class ControllerTests(WebhookLab webhook) : IClassFixture<WebhookLab>, IDisposable
{
    private readonly ControllerLab _lab = new(webhook);
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_gated_pod_waits_for_its_profiles_on_every_ready_node_and_a_node_without_an_agent_does_not_hold_it()
    {
        var pod = await _lab.AdmitAsync();
        Assert.True(ControllerLab.IsGated(pod));
        await _lab.Api.CreateAsync(new V1Node { Metadata = new V1ObjectMeta { Name = "node-without-agent" } }, Cancel);
        using var a = new AgentLab(_lab.Api, "node-a", appArmor: true);
        using var b = new AgentLab(_lab.Api, "node-b", appArmor: true);
        await a.SyncAsync();
        await b.SyncAsync(); // both ready, with nothing to install yet

        var first = await _lab.ReconcileAsync();
        Assert.Equal(3, first.ProfilesCreated);
        Assert.Equal(1, first.StillGated);
        var seccomp = await _lab.Api.GetAsync<SeccompProfileResource>(null, $"sha256-{webhook.CheckoutSeccompArtifact.Hex}", Cancel);
        Assert.Equal(WebhookLab.SeccompProfile, seccomp!.Spec.Content);
        Assert.Equal(webhook.CheckoutDigest.ToString(), seccomp.Spec.Source!.ImageDigest);
        var made = (await _lab.Api.GetAsync<SeccompProfileResource>(null, seccomp.Metadata.Name, Cancel))!.Metadata;
        Assert.Equal("true", made.Labels["portcullis.dev/in-use"]);
        Assert.Empty(made.Finalizers ?? []); // a finalizer would outlive the controller's account on uninstall
        var appArmor = await _lab.Api.GetAsync<AppArmorProfileResource>(null, $"sha256-{webhook.CheckoutAppArmorArtifact.Hex}", Cancel);
        Assert.Contains($"profile portcullis-sha256-{webhook.CheckoutAppArmorArtifact.Hex} ", appArmor!.Spec.Content, StringComparison.Ordinal);
        Assert.Equal($"portcullis-sha256-{webhook.CheckoutAppArmorArtifact.Hex}", appArmor.Spec.LocalhostProfile);

        await a.SyncAsync();
        Assert.Equal(1, (await _lab.ReconcileAsync()).StillGated);
        Assert.Equal(ProfilePhase.Partial, (await _lab.Api.GetAsync<SeccompProfileResource>(null, seccomp.Metadata.Name, Cancel))!.Status!.Phase);
        Assert.True(ControllerLab.IsGated(await _lab.PodAsync(pod)), "ready node-b does not have the profiles yet");

        await b.SyncAsync();
        var pass = await _lab.ReconcileAsync();
        Assert.Equal((1, 0), (pass.GatesRemoved, pass.StillGated));
        var after = await _lab.PodAsync(pod);
        Assert.False(ControllerLab.IsGated(after));
        Assert.NotNull(after.Spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution);
        var installed = await _lab.Api.GetAsync<SeccompProfileResource>(null, seccomp.Metadata.Name, Cancel);
        Assert.Equal((ProfilePhase.Installed, 2, 2), (installed!.Status!.Phase, installed.Status.InstalledNodes, installed.Status.AgentNodes));
        Assert.Equal(WebhookLab.SeccompProfile, File.ReadAllText(b.Seccomp.PathOf(seccomp.Metadata.Name)));
    }

    [Fact]
    public async Task A_profile_that_breaks_the_policy_is_rejected_never_installed_and_its_pod_stays_gated_with_an_event()
    {
        await PolicyAsync(new Dictionary<string, string> { ["forbiddenSyscalls"] = "ptrace, write" });
        var pod = await _lab.AdmitAsync();
        using var agent = new AgentLab(_lab.Api, "node-a");
        await _lab.ReconcileAsync();
        await agent.SyncAsync();
        await _lab.ReconcileAsync();

        var rejected = await _lab.Api.GetAsync<SeccompProfileResource>(null, $"sha256-{webhook.CheckoutSeccompArtifact.Hex}", Cancel);
        Assert.Equal(ProfilePhase.Rejected, rejected!.Status!.Phase);
        Assert.Contains("allows write, which the cluster policy forbids", rejected.Status.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(rejected.Metadata.Name, agent.Seccomp.Names());
        Assert.True(ControllerLab.IsGated(await _lab.PodAsync(pod)));
        var events = await _lab.Api.ListAsync<Corev1Event>("shop", cancel: Cancel);
        Assert.Contains(events, e => e.Reason == "ProfileRejected" && e.InvolvedObject.Name == pod.Metadata.Name);
    }

    [Fact]
    public async Task Profiles_from_a_registry_the_policy_does_not_allow_are_rejected()
    {
        await PolicyAsync(new Dictionary<string, string> { ["allowedRegistries"] = "registry.example" });
        await _lab.AdmitAsync();
        await _lab.ReconcileAsync();
        var all = await _lab.Api.ListAsync<SeccompProfileResource>(cancel: Cancel);
        Assert.All(all, p => Assert.Equal(ProfilePhase.Rejected, p.Status!.Phase));
        Assert.All(all, p => Assert.Contains("not allowed", p.Status!.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_signatures_required_only_a_profile_signed_by_a_trusted_key_is_accepted_and_a_rejected_one_is_judged_again_later()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await PolicyAsync(new Dictionary<string, string> { ["requireSignatures"] = "true", ["signatureKeys"] = key.ExportSubjectPublicKeyInfoPem() });
        var pod = await _lab.AdmitAsync();
        await _lab.ReconcileAsync();
        var migrate = $"sha256-{webhook.MigrateSeccompArtifact.Hex}";
        var unsigned = await _lab.Api.GetAsync<SeccompProfileResource>(null, migrate, Cancel);
        Assert.Equal(ProfilePhase.Rejected, unsigned!.Status!.Phase);
        Assert.Contains("no signature", unsigned.Status.Message, StringComparison.Ordinal);

        using (var client = new RegistryClient())
        {
            var repo = ImageReference.Parse($"{webhook.Registry}/shop/migrate:1.4");
            var artifact = new Descriptor(MediaTypes.OciManifest, webhook.MigrateSeccompArtifact, 0);
            await new ArtifactSigner(client).SignAsync(repo, artifact, webhook.MigrateDigest, key, Cancel);
        }
        await _lab.ReconcileAsync();
        Assert.Equal(ProfilePhase.Rejected, (await _lab.Api.GetAsync<SeccompProfileResource>(null, migrate, Cancel))!.Status!.Phase);
        _lab.Time.Advance(TimeSpan.FromMinutes(2));
        await _lab.ReconcileAsync();
        var signed = await _lab.Api.GetAsync<SeccompProfileResource>(null, migrate, Cancel);
        Assert.NotEqual(ProfilePhase.Rejected, signed!.Status!.Phase);
        Assert.True(ControllerLab.IsGated(await _lab.PodAsync(pod)));
    }

    [Fact]
    public async Task A_profile_in_use_cannot_be_deleted_until_its_last_pod_is_gone_and_then_leaves_the_nodes()
    {
        // The protection is deploy/base/admission-profiles.yaml on the label the controller sets, judged by a real
        // CEL evaluator in front of the in-memory API (a FAKE), with a cluster admin as the one deleting.
        var (policies, _) = AgentAdmissionPolicyTests.Load("base");
        var admin = new AdmittingClusterApi(_lab.Api, policies, new Caller("kubernetes-admin", ["system:masters", "system:authenticated"], new Dictionary<string, string[]>()));
        var pod = await _lab.AdmitAsync();
        using var agent = new AgentLab(_lab.Api, "node-a");
        await _lab.ReconcileAsync();
        await agent.SyncAsync();
        var name = $"sha256-{webhook.CheckoutSeccompArtifact.Hex}";

        var refused = await Assert.ThrowsAsync<ClusterApiException>(() => admin.DeleteAsync<SeccompProfileResource>(null, name, Cancel));
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, refused.Status);
        await _lab.ReconcileAsync();
        await agent.SyncAsync();
        Assert.Contains(name, agent.Seccomp.Names());

        await _lab.Api.DeleteAsync<V1Pod>("shop", pod.Metadata.Name, Cancel);
        await _lab.ReconcileAsync();
        var unused = await _lab.Api.GetAsync<SeccompProfileResource>(null, name, Cancel);
        Assert.False(unused!.Metadata.Labels?.ContainsKey("portcullis.dev/in-use") ?? false, "the label goes with the last pod");
        await admin.DeleteAsync<SeccompProfileResource>(null, name, Cancel);
        Assert.Null(await _lab.Api.GetAsync<SeccompProfileResource>(null, name, Cancel));
        await agent.SyncAsync();
        Assert.DoesNotContain(name, agent.Seccomp.Names());
    }

    [Fact]
    public async Task A_finalizer_an_older_version_left_is_stripped_so_an_uninstall_cannot_hang_on_it()
    {
        // The controller writes through the manifests' admission policies (a real CEL evaluator before the FAKE API).
        var (policies, ns) = AgentAdmissionPolicyTests.Load("base");
        var store = new InMemoryClusterApi();
        var api = new AdmittingClusterApi(store, policies, Caller.Manager(ns));
        using var lab = new ControllerLab(webhook, api, store);
        var pod = await lab.AdmitAsync();
        await lab.ReconcileAsync();
        var name = $"sha256-{webhook.CheckoutSeccompArtifact.Hex}";
        var old = (await store.GetAsync<SeccompProfileResource>(null, name, Cancel))!;
        old.Metadata.Finalizers = ["portcullis.dev/in-use", "someone-else/keep"];
        old.Metadata.Labels!.Remove("portcullis.dev/in-use");
        await store.ReplaceAsync(old, Cancel);

        await lab.ReconcileAsync();
        var upgraded = (await store.GetAsync<SeccompProfileResource>(null, name, Cancel))!;
        Assert.Equal(["someone-else/keep"], upgraded.Metadata.Finalizers);
        Assert.Equal("true", upgraded.Metadata.Labels["portcullis.dev/in-use"]);

        // Unused and collected: the label comes off first, or the policy would refuse the controller's own delete.
        await store.DeleteAsync<V1Pod>("shop", pod.Metadata.Name, Cancel);
        lab.Time.Advance(TimeSpan.FromDays(8));
        Assert.True((await lab.ReconcileAsync()).ProfilesDeleted >= 1);
        Assert.Empty(api.Refusals);
        Assert.DoesNotContain(name, (await store.ListAsync<SeccompProfileResource>(cancel: Cancel)).Where(p => p.Metadata.DeletionTimestamp is null).Select(p => p.Metadata.Name));
    }

    [Fact]
    public async Task Image_profiles_no_pod_used_for_the_configured_time_are_collected_and_hand_made_ones_never()
    {
        var pod = await _lab.AdmitAsync();
        await _lab.ReconcileAsync();
        await _lab.Api.CreateAsync(AgentLab.Profile<SeccompProfileResource>("hand-made", WebhookLab.SeccompProfile), Cancel);
        await _lab.Api.DeleteAsync<V1Pod>("shop", pod.Metadata.Name, Cancel);
        await _lab.ReconcileAsync();
        Assert.Equal(3, _lab.Api.Count<SeccompProfileResource>());

        _lab.Time.Advance(TimeSpan.FromDays(6));
        Assert.Equal(0, (await _lab.ReconcileAsync()).ProfilesDeleted);
        _lab.Time.Advance(TimeSpan.FromDays(2));
        var pass = await _lab.ReconcileAsync();
        Assert.Equal(3, pass.ProfilesDeleted);
        Assert.Equal(["hand-made"], (await _lab.Api.ListAsync<SeccompProfileResource>(cancel: Cancel)).Select(p => p.Metadata.Name));
    }

    [Fact]
    public async Task The_controller_makes_its_own_webhook_certificate_keeps_the_caBundle_in_sync_and_renews_before_expiry()
    {
        await _lab.Api.CreateAsync(new V1MutatingWebhookConfiguration
        {
            Metadata = new V1ObjectMeta { Name = "portcullis" },
            Webhooks = [new V1MutatingWebhook { Name = "pods.portcullis.dev", ClientConfig = new Admissionregistrationv1WebhookClientConfig(), AdmissionReviewVersions = ["v1"], SideEffects = "None" }],
        }, Cancel);
        var certificates = new Controller.WebhookCertificates(_lab.Api, _lab.Options, _lab.Time);
        Assert.True(await certificates.EnsureAsync(Cancel));
        Assert.False(await certificates.EnsureAsync(Cancel));

        var secret = (await _lab.Api.GetAsync<V1Secret>("portcullis-system", "portcullis-webhook-tls", Cancel))!;
        var config = (await _lab.Api.GetAsync<V1MutatingWebhookConfiguration>(null, "portcullis", Cancel))!;
        Assert.Equal(secret.Data["ca.crt"], config.Webhooks[0].ClientConfig.CaBundle);
        using var ca = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(secret.Data["ca.crt"]));
        var served = new Hosting.ServingCertificate(_lab.Api, _lab.Options);
        await served.RefreshAsync(Cancel);
        using var chain = new System.Security.Cryptography.X509Certificates.X509Chain();
        chain.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
        Assert.True(chain.Build(served.Current!), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
        Assert.True(served.Current!.HasPrivateKey);
        Assert.True(served.Current.MatchesHostname("portcullis-webhook.portcullis-system.svc"));

        // Renewing the serving certificate keeps the CA: the caBundle the API server has stays valid throughout.
        _lab.Time.Advance(TimeSpan.FromDays(340));
        Assert.True(await certificates.EnsureAsync(Cancel));
        var renewed = (await _lab.Api.GetAsync<V1Secret>("portcullis-system", "portcullis-webhook-tls", Cancel))!;
        Assert.NotEqual(secret.Data["tls.crt"], renewed.Data["tls.crt"]);
        Assert.Equal(secret.Data["ca.crt"], renewed.Data["ca.crt"]);
        Assert.Equal(secret.Data["ca.crt"], (await _lab.Api.GetAsync<V1MutatingWebhookConfiguration>(null, "portcullis", Cancel))!.Webhooks[0].ClientConfig.CaBundle);
        using var renewedCert = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(renewed.Data["tls.crt"]));
        chain.ChainPolicy.VerificationTime = _lab.Time.GetUtcNow().UtcDateTime;
        Assert.True(chain.Build(renewedCert), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));

        // Near the CA's own end a new CA signs, and the bundle trusts both until the old one expires.
        for (var year = 0; year < 4; year++)
        {
            _lab.Time.Advance(TimeSpan.FromDays(340));
            await certificates.EnsureAsync(Cancel);
        }
        var rotated = (await _lab.Api.GetAsync<V1Secret>("portcullis-system", "portcullis-webhook-tls", Cancel))!;
        var bundle = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection();
        bundle.ImportFromPem(Encoding.ASCII.GetString((await _lab.Api.GetAsync<V1MutatingWebhookConfiguration>(null, "portcullis", Cancel))!.Webhooks[0].ClientConfig.CaBundle));
        Assert.Equal(2, bundle.Count);
        Assert.Contains(bundle, c => c.Thumbprint == ca.Thumbprint);
        Assert.Equal(Encoding.ASCII.GetString(rotated.Data["ca.crt"]), Encoding.ASCII.GetString((await _lab.Api.GetAsync<V1MutatingWebhookConfiguration>(null, "portcullis", Cancel))!.Webhooks[0].ClientConfig.CaBundle));
    }

    [Fact]
    public async Task Out_of_cluster_the_webhook_configuration_points_at_the_given_URL_and_trusts_the_given_certificate()
    {
        using var certificate = new TestCertificate();
        await _lab.Api.CreateAsync(new V1MutatingWebhookConfiguration
        {
            Metadata = new V1ObjectMeta { Name = "portcullis" },
            Webhooks = [new V1MutatingWebhook { Name = "pods.portcullis.dev", ClientConfig = new Admissionregistrationv1WebhookClientConfig { Service = new Admissionregistrationv1ServiceReference { Name = "portcullis-webhook", NamespaceProperty = "portcullis-system" } }, AdmissionReviewVersions = ["v1"], SideEffects = "None" }],
        }, Cancel);
        var options = _lab.Options with { TlsCertificateFile = certificate.CertificateFile, TlsKeyFile = certificate.KeyFile, WebhookUrl = "https://192.0.2.10:8443/mutate-pods" };
        var certificates = new Controller.WebhookCertificates(_lab.Api, options, _lab.Time);
        _lab.Api.Requests.Clear();
        Assert.True(await certificates.EnsureAsync(Cancel));
        Assert.False(await certificates.EnsureAsync(Cancel));
        Assert.DoesNotContain(_lab.Api.Requests, r => r.Verb == "replace");

        var client = (await _lab.Api.GetAsync<V1MutatingWebhookConfiguration>(null, "portcullis", Cancel))!.Webhooks[0].ClientConfig;
        Assert.Equal("https://192.0.2.10:8443/mutate-pods", client.Url);
        Assert.Null(client.Service);
        Assert.Equal(File.ReadAllBytes(certificate.CertificateFile), client.CaBundle);
        Assert.Null(await _lab.Api.GetAsync<V1Secret>("portcullis-system", "portcullis-webhook-tls", Cancel));
    }

    [Fact]
    public async Task A_profile_made_without_a_status_gets_one()
    {
        await _lab.Api.CreateAsync(AgentLab.Profile<SeccompProfileResource>("hand-made", WebhookLab.SeccompProfile), Cancel);
        await _lab.ReconcileAsync();
        var status = (await _lab.Api.GetAsync<SeccompProfileResource>(null, "hand-made", Cancel))!.Status;
        Assert.Equal((ProfilePhase.Pending, "no node runs a ready agent"), (status?.Phase, status?.Message));
    }

    private Task PolicyAsync(Dictionary<string, string> data) => _lab.Api.CreateAsync(new V1ConfigMap
    {
        Metadata = new V1ObjectMeta { Name = "portcullis-policy", NamespaceProperty = "portcullis-system" },
        Data = data,
    }, Cancel);

    public void Dispose() => _lab.Dispose();
}
