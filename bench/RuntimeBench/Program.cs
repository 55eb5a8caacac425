using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Portcullis.Oci;
using Portcullis.Oci.Artifacts;
using Portcullis.Oci.Model;
using Portcullis.Oci.References;
using Portcullis.Runtime.Controller;
using Portcullis.Runtime.Hosting;
using Portcullis.Runtime.NodeAgent;
using Portcullis.Runtime.Registry;
using Portcullis.Runtime.Resources;
using Portcullis.Runtime.Testing;
using Portcullis.Runtime.Webhook;
using Portcullis.Testing;

// Usage: dotnet run -c Release --project bench/RuntimeBench [webhook|agent|memory-webhook|memory-controller|memory-agent]
// (no argument: all of them; each memory figure in its own process, so roles do not share a heap)
//   webhook  1,000 admissions over HTTPS against docker-registry on loopback: cold = each names an image
//            never seen (tag -> digest -> manifest -> referrers -> artifact -> blob for two kinds), warm = the
//            same 1,000 again from the cache. Targets: p99 <= 1 s cold, <= 10 ms warm.
//   agent    1,000 SeccompProfiles written to a temporary kubelet root and reported: target <= 5 s.
//   memory-* the role holding 10,000 pods and 1,000 profiles worth of state: target <= 64 MiB per role.
//            The Kubernetes API is the in-memory fake living in the same process; its own size is measured
//            first and subtracted, and the process's resident set is printed beside it.
var what = args.Length > 0 ? args[0] : "all";
if (what == "all")
{
    foreach (var part in new[] { "webhook", "agent", "memory-webhook", "memory-controller", "memory-agent" })
    {
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            start.ArgumentList.Add(System.Reflection.Assembly.GetEntryAssembly()!.Location);
        start.ArgumentList.Add(part);
        using var child = Process.Start(start)!;
        await child.WaitForExitAsync();
    }
    return;
}
switch (what)
{
    case "webhook": await Webhook(); break;
    case "agent": await Agent(); break;
    default: await Memory(what["memory-".Length..]); break;
}

static async Task Webhook()
{
    const int N = 1000;
    using var registry = LocalRegistry.Start();
    var image = ScratchImage.Push(registry, "bench/app:base");
    var repo = ImageReference.Parse(image);
    var seccomp = Encoding.UTF8.GetBytes("""{"defaultAction":"SCMP_ACT_ERRNO","architectures":["SCMP_ARCH_X86_64"],"syscalls":[{"names":["read","write"],"action":"SCMP_ACT_ALLOW"}]}""");
    using (var client = new RegistryClient())
    {
        // 1,000 distinct images: the same layers under manifests that differ by one annotation, each with a profile
        var manifest = JsonNode.Parse((await client.GetManifestAsync(repo)).Bytes)!.AsObject();
        var artifacts = new ProfileArtifacts(client);
        for (var i = 0; i < N; i++)
        {
            manifest["annotations"] = new JsonObject { ["bench"] = i.ToString(CultureInfo.InvariantCulture) };
            var bytes = Encoding.UTF8.GetBytes(manifest.ToJsonString());
            await client.PutManifestAsync(repo, $"v{i}", bytes, MediaTypes.OciManifest);
            await artifacts.PushAsync(repo with { Tag = $"v{i}" }, ProfileKind.Seccomp, seccomp, new Dictionary<string, string>());
        }
    }
    var api = new InMemoryClusterApi();
    await api.CreateAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "default", NamespaceProperty = "shop" } });
    using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
    using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    var dir = Directory.CreateTempSubdirectory("portcullis-bench-").FullName;
    File.WriteAllText(Path.Combine(dir, "tls.crt"), cert.ExportCertificatePem());
    File.WriteAllText(Path.Combine(dir, "tls.key"), key.ExportPkcs8PrivateKeyPem());
    var options = new RuntimeOptions
    {
        Namespace = "portcullis-system",
        HttpsPort = FreePort.Next(),
        HttpPort = FreePort.Next(),
        AppArmor = "false",
        InsecureRegistries = ["127.0.0.1"], // the bench registry is on loopback, which the webhook refuses unless told
        TlsCertificateFile = Path.Combine(dir, "tls.crt"),
        TlsKeyFile = Path.Combine(dir, "tls.key"),
    };
    await using var app = RuntimeHost.Build(Role.Webhook, options, api, ["--Logging:LogLevel:Default=Warning"]);
    await app.StartAsync();
    using var http = new HttpClient(new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = (_, c, _, _) => c?.GetCertHashString() == cert.GetCertHashString() } });
    var url = new Uri($"https://127.0.0.1:{options.HttpsPort}/mutate-pods");
    for (var i = 0; i < 50 && !(await http.GetAsync(new Uri($"http://127.0.0.1:{options.HttpPort}/readyz"))).IsSuccessStatusCode; i++)
        await Task.Delay(100);

    async Task<double> Admit(int i)
    {
        var review = new JsonObject
        {
            ["apiVersion"] = "admission.k8s.io/v1",
            ["kind"] = "AdmissionReview",
            ["request"] = new JsonObject
            {
                ["uid"] = Guid.NewGuid().ToString(),
                ["kind"] = new JsonObject { ["group"] = "", ["version"] = "v1", ["kind"] = "Pod" },
                ["namespace"] = "shop",
                ["operation"] = "CREATE",
                ["object"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["generateName"] = "app-", ["namespace"] = "shop" },
                    ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = $"{registry.Host}/bench/app:v{i}" }) },
                },
            },
        };
        var watch = Stopwatch.StartNew();
        using var response = await http.PostAsync(url, new StringContent(review.ToJsonString(), Encoding.UTF8, "application/json"));
        var answer = await response.Content.ReadFromJsonAsync<JsonObject>();
        var elapsed = watch.Elapsed.TotalMilliseconds;
        if (answer?["response"]?["patch"] is null)
            throw new InvalidOperationException($"admission {i} was not bound: {answer}");
        return elapsed;
    }

    await Admit(0); // JIT and TLS session; image v0 is then warm and left out of the cold set
    var cold = new List<double>();
    for (var i = 1; i < N; i++)
        cold.Add(await Admit(i));
    var warm = new List<double>();
    for (var i = 1; i < N; i++)
        warm.Add(await Admit(i));
    Console.WriteLine($"webhook, {cold.Count} admissions each (HTTPS on loopback, docker-registry 2.8 with the referrers tag fallback):");
    Report("cold (new image each time)", cold, 1000);
    Report("warm (cached by digest)", warm, 10);
    await app.StopAsync();
    Directory.Delete(dir, true);
}

static void Report(string what, List<double> ms, double targetP99)
{
    ms.Sort();
    double P(double q) => ms[Math.Min(ms.Count - 1, (int)Math.Ceiling(q * ms.Count) - 1)];
    var p99 = P(0.99);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  {what,-28} p50 {P(0.5),7:0.00} ms  p99 {p99,7:0.00} ms  max {ms[^1],7:0.00} ms   target p99 <= {targetP99} ms: p99/target = {p99 / targetP99:0.000} {(p99 <= targetP99 ? "met" : "MISSED")}"));
}

static async Task Agent()
{
    const int N = 1000;
    var api = new InMemoryClusterApi();
    await api.CreateAsync(new V1Node { Metadata = new V1ObjectMeta { Name = "node-a", Labels = new Dictionary<string, string>() } });
    foreach (var i in Enumerable.Range(0, N))
        await api.CreateAsync(Profile(i));
    var root = Directory.CreateTempSubdirectory("portcullis-bench-kubelet-").FullName;
    var options = new RuntimeOptions { NodeName = "node-a", KubeletRoot = root };
    var agent = new ProfileAgent(api, new SeccompVariantStore(new ProfileFileStore(Path.Combine(root, "seccomp", "portcullis"), ".json")), new ProfileFileStore(Path.Combine(root, "apparmor"), ""),
        new AppArmorParserLoader(["apparmor_parser"]), options with { OciRuntime = "runc/1.1.5" }, TimeProvider.System, NullLogger<ProfileAgent>.Instance);
    var watch = Stopwatch.StartNew();
    var result = await agent.SyncAsync(CancellationToken.None);
    var first = watch.Elapsed.TotalSeconds;
    watch.Restart();
    var again = await agent.SyncAsync(CancellationToken.None);
    var second = watch.Elapsed.TotalSeconds;
    if (result.Written != N || result.Reported != N || again.Written != 0)
        throw new InvalidOperationException($"wrote {result.Written}, reported {result.Reported}, rewrote {again.Written}");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"node agent: {N} profiles written (fsync each) and reported in {first:0.000} s; target <= 5 s: {first / 5:0.000} of it, {(first <= 5 ? "met" : "MISSED")}; resync with nothing changed {second:0.000} s"));
    Directory.Delete(root, true);
}

static SeccompProfileResource Profile(int i)
{
    var content = $$"""{"defaultAction":"SCMP_ACT_ERRNO","architectures":["SCMP_ARCH_X86_64"],"syscalls":[{"names":["read","write","openat","close","mmap","futex","epoll_wait","exit_group"],"action":"SCMP_ACT_ALLOW","comment":"{{i}}"}]}""";
    var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));
    return new SeccompProfileResource
    {
        Metadata = new V1ObjectMeta { Name = "sha256-" + digest },
        Spec = new ProfileSpec { Content = content, ContentDigest = "sha256:" + digest, LocalhostProfile = $"portcullis/sha256-{digest}.json" },
        Status = new ProfileStatus { Phase = ProfilePhase.Pending },
    };
}

static async Task Memory(string role)
{
    const int Pods = 10_000, Profiles = 1_000;
    var api = new InMemoryClusterApi();
    foreach (var n in Enumerable.Range(0, 3))
        await api.CreateAsync(new V1Node { Metadata = new V1ObjectMeta { Name = $"node-{n}", Labels = new Dictionary<string, string> { ["portcullis.dev/agent-ready"] = "true" } } });
    foreach (var n in Enumerable.Range(0, 50)) // the controller acts only in namespaces the webhook binds in
        await api.CreateAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = $"ns-{n}", Labels = new Dictionary<string, string> { ["portcullis.dev/bind"] = "enabled" } } });
    var profiles = Enumerable.Range(0, Profiles).Select(Profile).ToList();
    foreach (var p in profiles)
        await api.CreateAsync(p);
    for (var i = 0; i < Pods; i++)
    {
        var profile = profiles[i % Profiles];
        var bindings = BindingRecord.Write([new ContainerBinding("/spec/containers/0", "app", "r.example/app:1", "r.example/app@sha256:" + new string('b', 64), null,
            new BoundProfile(ProfileType.Seccomp, profile.Metadata.Name, profile.Spec.LocalhostProfile, "r.example/app@sha256:" + profile.Metadata.Name[7..], "sha256:" + new string('b', 64), "image"), null)]);
        await api.CreateAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = $"app-{i}", NamespaceProperty = $"ns-{i % 50}", Labels = new Dictionary<string, string> { ["portcullis.dev/bound"] = "true" }, Annotations = new Dictionary<string, string> { ["portcullis.dev/bindings"] = bindings } },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "r.example/app@sha256:" + new string('b', 64), SecurityContext = new V1SecurityContext { SeccompProfile = new V1SeccompProfile { Type = "Localhost", LocalhostProfile = profile.Spec.LocalhostProfile } } }] },
            Status = new V1PodStatus { Phase = "Running" },
        });
    }
    var apiBytes = Heap();
    object? keep;
    switch (role)
    {
        case "webhook":
            {
                // the webhook's caches full: 1,000 images with their profiles, 10,000 pods' namespaces and pull secrets
                var time = TimeProvider.System;
                var resolverCache = new ExpiringCache<string, ResolvedImage>(time, TimeSpan.FromMinutes(10), 10_000);
                var tagCache = new ExpiringCache<string, Digest>(time, TimeSpan.FromMinutes(1), 10_000);
                foreach (var p in profiles)
                {
                    var repo = ImageReference.Parse("r.example/app@sha256:" + p.Metadata.Name[7..]);
                    resolverCache.Set(repo.ToString(), new ResolvedImage(repo, null, new FoundProfile(ProfileType.Seccomp, repo, repo.Digest!, repo.Digest!, Encoding.UTF8.GetBytes(p.Spec.Content)), null));
                }
                for (var i = 0; i < Pods; i++)
                    tagCache.Set($"creds{i % 50}\nr.example/app:{i}", Digest.Sha256(BitConverter.GetBytes(i)));
                keep = (resolverCache, tagCache);
                break;
            }
        case "controller":
            {
                var reconciler = new ProfileReconciler(api, new ProfileFetcher(new RegistryClientPool(new Portcullis.Oci.Transport.RegistryOptions()), new RuntimeOptions()), new PodCredentialsSource(api, TimeProvider.System), new RuntimeOptions(), TimeProvider.System, NullLogger<ProfileReconciler>.Instance);
                await reconciler.ReconcileAsync(CancellationToken.None);
                var pass = Stopwatch.StartNew();
                await reconciler.ReconcileAsync(CancellationToken.None);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"controller: a steady-state pass over {Pods} bound pods and {Profiles} profiles took {pass.Elapsed.TotalMilliseconds:0} ms (in-memory API: JSON (de)serialization, no network)"));
                keep = reconciler;
                break;
            }
        default:
            {
                var root = Directory.CreateTempSubdirectory("portcullis-bench-kubelet-").FullName;
                var agent = new ProfileAgent(api, new SeccompVariantStore(new ProfileFileStore(Path.Combine(root, "seccomp", "portcullis"), ".json")), new ProfileFileStore(Path.Combine(root, "apparmor"), ""),
                    new AppArmorParserLoader(["apparmor_parser"]), new RuntimeOptions { NodeName = "node-0", KubeletRoot = root, OciRuntime = "runc/1.1.5" }, TimeProvider.System, NullLogger<ProfileAgent>.Instance);
                await agent.SyncAsync(CancellationToken.None);
                await agent.SyncAsync(CancellationToken.None);
                keep = agent;
                Directory.Delete(root, true);
                break;
            }
    }
    var total = Heap();
    GC.KeepAlive(keep);
    var roleMiB = (total - apiBytes) / 1048576.0;
    var peak = Environment.WorkingSet / 1048576.0;
    var info = GC.GetGCMemoryInfo();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"memory, {role,-10} with {Pods} pods and {Profiles} profiles: retained by the role {roleMiB,6:0.0} MiB; target <= 64 MiB: {roleMiB / 64:0.000} of it, {(roleMiB <= 64 ? "met" : "MISSED")}  (process RSS {peak:0} MiB incl. the in-memory API of {apiBytes / 1048576.0:0} MiB; peak GC heap {info.HeapSizeBytes / 1048576.0:0} MiB)"));
}

static long Heap()
{
    GC.Collect(2, GCCollectionMode.Forced, true, true);
    GC.WaitForPendingFinalizers();
    GC.Collect(2, GCCollectionMode.Forced, true, true);
    return GC.GetTotalMemory(true);
}
