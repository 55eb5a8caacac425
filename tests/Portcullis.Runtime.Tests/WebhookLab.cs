using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Portcullis.Oci;
using Portcullis.Oci.Artifacts;
using Portcullis.Oci.References;
using Portcullis.Runtime.Hosting;

namespace Portcullis.Runtime.Tests;

/// <summary>
/// The webhook as the API server meets it: served over real HTTPS by the runtime's own host, resolving
/// real images in a real registry (docker-registry on loopback) that carry profiles attached by the OCI
/// client. The Kubernetes API behind it is the in-memory fake (no API server can run here).
/// </summary>
public sealed class WebhookLab : IAsyncLifetime
{
    public const string SeccompProfile = """{"defaultAction":"SCMP_ACT_ERRNO","architectures":["SCMP_ARCH_X86_64"],"syscalls":[{"names":["exit_group","read","write"],"action":"SCMP_ACT_ALLOW"}]}""";
    public const string AppArmorProfile = "profile checkout flags=(attach_disconnected) {\n  /** rw,\n}\n";

    private LocalRegistry? _registry;
    private WebApplication? _app;
    private TestCertificate? _certificate;
    private HttpClient? _client;

    public InMemoryClusterApi Api { get; } = new();

    /// <summary>The webhook's clock: budgets and caches run on it, so nothing here depends on how loaded the machine is.</summary>
    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);
    public string Registry => _registry!.Host;
    public Digest CheckoutDigest { get; private set; } = null!;
    public Digest MigrateDigest { get; private set; } = null!;
    public Digest CheckoutSeccompArtifact { get; private set; } = null!;
    public Digest CheckoutAppArmorArtifact { get; private set; } = null!;
    public Digest MigrateSeccompArtifact { get; private set; } = null!;
    public RuntimeOptions Options { get; private set; } = null!;
    public Uri Endpoint { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        _registry = LocalRegistry.Start();
        var checkout = ScratchImage.Push(_registry, "shop/checkout:1.0");
        var migrate = ScratchImage.Push(_registry, "shop/migrate:1.4");
        ScratchImage.Push(_registry, "shop/proxy:2.0");
        using (var client = new RegistryClient())
        {
            var artifacts = new ProfileArtifacts(client);
            var none = new Dictionary<string, string>();
            var c = await artifacts.PushAsync(ImageReference.Parse(checkout), ProfileKind.Seccomp, Encoding.UTF8.GetBytes(SeccompProfile), none);
            var a = await artifacts.PushAsync(ImageReference.Parse(checkout), ProfileKind.AppArmor, Encoding.UTF8.GetBytes(AppArmorProfile), none);
            var m = await artifacts.PushAsync(ImageReference.Parse(migrate), ProfileKind.Seccomp, Encoding.UTF8.GetBytes(SeccompProfile.Replace("read", "pread64", StringComparison.Ordinal)), none);
            (CheckoutDigest, CheckoutSeccompArtifact) = (c[0].Subject.Digest, c[0].Artifact.Digest);
            CheckoutAppArmorArtifact = a[0].Artifact.Digest;
            (MigrateDigest, MigrateSeccompArtifact) = (m[0].Subject.Digest, m[0].Artifact.Digest);
        }

        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes("puller:secret"));
        await Api.CreateAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "regcred", NamespaceProperty = "shop" },
            Type = "kubernetes.io/dockerconfigjson",
            Data = new Dictionary<string, byte[]> { [".dockerconfigjson"] = Encoding.UTF8.GetBytes("{\"auths\":{\"" + Registry + "\":{\"auth\":\"" + auth + "\"}}}") },
        });
        await Api.CreateAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "default", NamespaceProperty = "shop" } });
        await Api.CreateAsync(new V1Node { Metadata = new V1ObjectMeta { Name = "node-a", Labels = new Dictionary<string, string> { ["portcullis.dev/apparmor"] = "true" } } });

        _certificate = new TestCertificate();
        Options = new RuntimeOptions
        {
            Namespace = "portcullis-system",
            HttpsPort = FreePort.Next(),
            HttpPort = FreePort.Next(),
            TlsCertificateFile = _certificate.CertificateFile,
            TlsKeyFile = _certificate.KeyFile,
            AdmissionBudget = TimeSpan.FromSeconds(3),
            // the budget (on the fake clock) is what cuts a slow registry off; the wall-clock net stays out of the way
            RegistryRequestTimeout = TimeSpan.FromMinutes(10),
            // the lab's registries are on loopback, an internal address the webhook refuses unless told
            InsecureRegistries = ["127.0.0.1"],
        };
        _app = RuntimeHost.Build(Role.Webhook, Options, Api, [], time: Time);
        await _app.StartAsync();
        _client = _certificate.Client();
        Endpoint = new Uri($"https://127.0.0.1:{Options.HttpsPort}/mutate-pods");
        await _app.Services.GetRequiredService<Readiness>().WhenReadyAsync(CancellationToken.None);
    }

    /// <summary>Completes when every Event the webhook started writing is written.</summary>
    public Task EventsWrittenAsync() => _app!.Services.GetRequiredService<Portcullis.Runtime.Webhook.AdmissionHandler>().EventsWrittenAsync();

    /// <summary>Pushes another image with a seccomp profile attached (what any tenant with a repository can do); its manifest and artifact digests.</summary>
    public async Task<(Digest Image, Digest Artifact)> PushImageAsync(string repositoryAndTag, string seccomp)
    {
        var image = ScratchImage.Push(_registry!, repositoryAndTag);
        using var client = new RegistryClient();
        var pushed = await new ProfileArtifacts(client).PushAsync(ImageReference.Parse(image), ProfileKind.Seccomp, Encoding.UTF8.GetBytes(seccomp), new Dictionary<string, string>());
        return (pushed[0].Subject.Digest, pushed[0].Artifact.Digest);
    }

    /// <summary>POSTs the review to the webhook over HTTPS and returns its answer.</summary>
    public async Task<JsonObject> ReviewAsync(JsonNode review)
    {
        using var response = await _client!.PostAsync(Endpoint, new StringContent(review.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode, $"webhook answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>The pod as the API server stores it after applying the webhook's patch (RFC 6902, applied by the tests' own applier).</summary>
    public static JsonObject Patched(JsonNode review, JsonObject answer)
    {
        var pod = review["request"]!["object"]!;
        var response = answer["response"]!;
        if (response["patch"] is null)
            return (JsonObject)pod.DeepClone();
        Assert.Equal("JSONPatch", response["patchType"]!.GetValue<string>());
        var patch = (JsonArray)JsonNode.Parse(Convert.FromBase64String(response["patch"]!.GetValue<string>()))!;
        return (JsonObject)JsonPatchApplier.Apply(pod, patch);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
            await _app.DisposeAsync();
        _client?.Dispose();
        _certificate?.Dispose();
        _registry?.Dispose();
    }
}
