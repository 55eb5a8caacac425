using System.Security.Cryptography;
using System.Text;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Portcullis.Runtime.Hosting;
using Portcullis.Runtime.NodeAgent;
using Portcullis.Runtime.Resources;

namespace Portcullis.Runtime.Tests;

/// <summary>A node agent writing into a temporary kubelet root, against the in-memory API.</summary>
public sealed class AgentLab : IDisposable
{
    /// <param name="ociRuntime">the agent's --OciRuntime; null: not configured (the agent then warns in an Event)</param>
    public AgentLab(InMemoryClusterApi? api = null, string node = "node-a", bool appArmor = false, string? ociRuntime = "runc/1.1.5")
    {
        Api = api ?? new InMemoryClusterApi();
        Root = Directory.CreateTempSubdirectory("portcullis-kubelet-").FullName;
        Node = node;
        AppArmor = new RecordingAppArmorLoader(appArmor);
        Options = new RuntimeOptions { NodeName = node, KubeletRoot = Root, AppArmorRoot = Path.Combine(Root, "apparmor.d", "portcullis"), Namespace = "portcullis-system", OciRuntime = ociRuntime };
        Seccomp = new ProfileFileStore(Path.Combine(Root, "seccomp", "portcullis"), ".json");
        Agent = NewAgent();
        if (Api.GetAsync<V1Node>(null, node).Result is null)
            Api.CreateAsync(new V1Node { Metadata = new V1ObjectMeta { Name = node, Labels = new Dictionary<string, string> { ["kubernetes.io/hostname"] = node } } }).Wait();
    }

    public InMemoryClusterApi Api { get; }
    public string Root { get; }
    public string Node { get; }
    public RuntimeOptions Options { get; }
    public ProfileFileStore Seccomp { get; }
    public RecordingAppArmorLoader AppArmor { get; }
    public ProfileAgent Agent { get; private set; }

    /// <summary>A new agent on the same node and root: a restart.</summary>
    public ProfileAgent NewAgent() => Agent = new ProfileAgent(Api, new SeccompVariantStore(Seccomp), new ProfileFileStore(Options.AppArmorRoot, ""), AppArmor, Options, Time, NullLogger<ProfileAgent>.Instance);

    public Microsoft.Extensions.Time.Testing.FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.Zero));

    public Task<AgentSyncResult> SyncAsync() => Agent.SyncAsync(TestContext.Current.CancellationToken);

    public static T Profile<T>(string name, string content) where T : ProfileResource, new() => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new ProfileSpec
        {
            Content = content,
            ContentDigest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content))),
            LocalhostProfile = typeof(T) == typeof(SeccompProfileResource) ? ProfileNames.SeccompLocalhost(name) : ProfileNames.AppArmorLocalhost(name),
        },
    };

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

/// <summary>A FAKE AppArmor loader (this kernel has no AppArmor): records what the agent loads. The kernel lab loads for real.</summary>
public sealed class RecordingAppArmorLoader(bool enabled) : IAppArmorLoader
{
    public bool Enabled => enabled;
    public List<string> Loaded { get; } = [];
    public List<string> Unloaded { get; } = [];

    public Task LoadAsync(string path, CancellationToken cancel)
    {
        Loaded.Add(Path.GetFileName(path));
        return Task.CompletedTask;
    }

    public Task UnloadAsync(string path, CancellationToken cancel)
    {
        Unloaded.Add(Path.GetFileName(path));
        return Task.CompletedTask;
    }
}
