using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Portcullis.Oci.Transport;
using Portcullis.Runtime.Controller;
using Portcullis.Runtime.Hosting;
using Portcullis.Runtime.Kubernetes;
using Portcullis.Runtime.Registry;
using Portcullis.Runtime.Resources;
using Portcullis.Runtime.Webhook;

namespace Portcullis.Runtime.Tests;

/// <summary>The controller against a fresh in-memory API, with pods admitted by the real webhook of a <see cref="WebhookLab"/>.</summary>
public sealed class ControllerLab : IDisposable
{
    private readonly WebhookLab _webhook;
    private readonly RegistryClientPool _clients = new(new RegistryOptions());

    /// <param name="through">the API the controller talks to (default: the in-memory one directly)</param>
    public ControllerLab(WebhookLab webhook, IClusterApi? through = null, InMemoryClusterApi? backend = null)
    {
        _webhook = webhook;
        Api = backend ?? new InMemoryClusterApi();
        Options = new RuntimeOptions { Namespace = "portcullis-system", GarbageCollectAfter = TimeSpan.FromDays(7) };
        var api = through ?? Api;
        Reconciler = new ProfileReconciler(api, new ProfileFetcher(_clients, Options), new PodCredentialsSource(api, Time), Options, Time, NullLogger<ProfileReconciler>.Instance);
        Api.CreateAsync(Namespace("shop")).Wait();
        foreach (var secret in webhook.Api.ListAsync<V1Secret>("shop").Result)
            Api.CreateAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = secret.Metadata.Name, NamespaceProperty = "shop" }, Type = secret.Type, Data = secret.Data }).Wait();
    }

    public InMemoryClusterApi Api { get; }

    /// <summary>A namespace the webhook binds in, as deploy/ selects them.</summary>
    public static V1Namespace Namespace(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["portcullis.dev/bind"] = "enabled" } },
    };
    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);
    public RuntimeOptions Options { get; }
    public ProfileReconciler Reconciler { get; }

    /// <summary>One pass and the fetches it started, counted as its own (the controller's loop would make the next pass when they end).</summary>
    public async Task<ControllerPass> ReconcileAsync()
    {
        var pass = await Reconciler.ReconcileAsync(TestContext.Current.CancellationToken);
        return pass with { ProfilesCreated = pass.ProfilesCreated + await Reconciler.FetchesDoneAsync(TestContext.Current.CancellationToken) };
    }

    /// <summary>Admits the captured pod through the webhook over HTTPS and stores the result, as the API server would.</summary>
    public async Task<V1Pod> AdmitAsync()
    {
        var text = File.ReadAllText(Repo.Data("k8s/admissionreview-pod-create-generatename-v1.32.json"))
            .Replace("registry.example.com/shop/checkout@sha256:0b1d6f2a5c3e4d7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7", $"{_webhook.Registry}/shop/checkout@{_webhook.CheckoutDigest}", StringComparison.Ordinal)
            .Replace("registry.example.com/", _webhook.Registry + "/", StringComparison.Ordinal)
            .Replace("0d07b3e6", Guid.NewGuid().ToString("N")[..8], StringComparison.Ordinal);
        var review = JsonNode.Parse(text)!;
        var pod = WebhookLab.Patched(review, await _webhook.ReviewAsync(review));
        var created = KubernetesJson.Deserialize<V1Pod>(pod.ToJsonString());
        created.Status = new V1PodStatus { Phase = "Pending" };
        return await Api.CreateAsync(created, TestContext.Current.CancellationToken);
    }

    public async Task<V1Pod> PodAsync(V1Pod pod) => (await Api.GetAsync<V1Pod>("shop", pod.Metadata.Name, TestContext.Current.CancellationToken))!;

    public static bool IsGated(V1Pod pod) => pod.Spec.SchedulingGates?.Any(g => g.Name == "portcullis.dev/profiles") == true;

    public static IReadOnlyList<BoundProfile> Profiles(V1Pod pod) =>
        BindingRecord.Read(pod.Metadata.Annotations).SelectMany(b => new[] { b.Seccomp, b.AppArmor }).OfType<BoundProfile>().ToList();

    /// <summary>A pod as its owner can write it: labelled bound, gated, a localhost profile, and a bindings annotation of its choosing.</summary>
    public static V1Pod ForgedPod(string ns, string image, string profile, string artifact, string subject) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = "forged-" + Guid.NewGuid().ToString("N")[..6],
            NamespaceProperty = ns,
            Labels = new Dictionary<string, string> { ["portcullis.dev/bound"] = "true" },
            Annotations = new Dictionary<string, string>
            {
                ["portcullis.dev/bindings"] = BindingRecord.Write([new ContainerBinding("/spec/containers/0", "c", image, image, null,
                    new BoundProfile(ProfileType.Seccomp, profile, ProfileNames.SeccompLocalhost(profile), artifact, subject, "image"), null)]),
            },
        },
        Spec = new V1PodSpec
        {
            Containers = [new V1Container
            {
                Name = "c",
                Image = image,
                SecurityContext = new V1SecurityContext { SeccompProfile = new V1SeccompProfile { Type = "Localhost", LocalhostProfile = ProfileNames.SeccompLocalhost(profile) } },
            }],
            SchedulingGates = [new V1PodSchedulingGate { Name = "portcullis.dev/profiles" }],
        },
        Status = new V1PodStatus { Phase = "Pending" },
    };

    public void Dispose()
    {
        Reconciler.Dispose();
        _clients.Dispose();
    }
}
