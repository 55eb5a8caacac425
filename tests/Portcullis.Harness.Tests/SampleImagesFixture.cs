using Portcullis.Oci;
using Portcullis.Oci.Artifacts;
using Portcullis.Oci.References;
using Portcullis.Oci.Transport;

namespace Portcullis.Harness.Tests;

/// <summary>
/// One registry for the class, the two base images, and each sample published once the way a user would:
/// copied out of the repository, referencing the packed Portcullis.Build package, `dotnet publish
/// -t:PublishContainer` (TodoApi framework-dependent on the ASP.NET base, Worker self-contained on the
/// runtime-deps base). The package recorded each sample's tests, generated its profiles, labelled the image
/// and attached the profiles; the fixture pulls them back through the registry.
/// </summary>
public sealed class SampleImagesFixture : IDisposable
{
    private readonly SampleWorkspace _todoApi;
    private readonly SampleWorkspace _worker;
    private readonly SampleWorkspace _inventory;
    private readonly SampleWorkspace _gauntlet;

    public SampleImagesFixture()
    {
        Registry = LocalRegistry.Start();
        var aspnet = BaseImages.Push(Registry, BaseImageKind.AspNet);
        AspNetBase = aspnet;
        var runtimeDeps = BaseImages.Push(Registry, BaseImageKind.RuntimeDeps);
        _todoApi = SampleWorkspace.Create("TodoApi");
        TodoApiPublishLog = _todoApi.PublishContainer(Registry, aspnet, "fd", "-p:ContainerRuntimeIdentifier=linux-x64");
        TodoApi = $"{Registry.Host}/samples/todoapi:fd";
        _worker = SampleWorkspace.Create("Worker");
        _worker.PublishContainer(Registry, runtimeDeps, "sc", "--self-contained", "-r", "linux-x64");
        Worker = $"{Registry.Host}/samples/worker:sc";
        _inventory = SampleWorkspace.Create("Inventory");
        InventoryPublishLog = _inventory.PublishContainer(Registry, aspnet, "fd", "-p:ContainerRuntimeIdentifier=linux-x64");
        Inventory = $"{Registry.Host}/samples/inventory:fd";
        _gauntlet = SampleWorkspace.Create("Gauntlet");
        _gauntlet.PublishContainer(Registry, aspnet, "fd", "-p:ContainerRuntimeIdentifier=linux-x64");
        Gauntlet = $"{Registry.Host}/samples/gauntlet:fd";
        GauntletProfiles = _gauntlet.ProfileDirectory();
        TodoApiProfiles = _todoApi.ProfileDirectory();
        WorkerProfiles = _worker.ProfileDirectory("linux-x64");
        InventoryProfiles = _inventory.ProfileDirectory();
        InventoryRecording = Path.Combine(_inventory.Root, "Inventory", "obj", "portcullis", "recordings", "Inventory.Tests.json");
    }

    /// <summary>An API over SQLite whose tests host it in memory (WebApplicationFactory) and skip /export.</summary>
    public string Inventory { get; }
    public string InventoryPublishLog { get; }

    public string InventoryProfiles { get; }

    /// <summary>What the package recorded of Inventory.Tests (the input of a recording-only profile).</summary>
    public string InventoryRecording { get; }

    /// <summary>One endpoint per kind of kernel use, of which the tests call two.</summary>
    public string Gauntlet { get; }
    public string GauntletProfiles { get; }

    public LocalRegistry Registry { get; }
    public string AspNetBase { get; }
    public string TodoApi { get; }
    public string Worker { get; }
    public string TodoApiPublishLog { get; }

    /// <summary>$(PublishDir)portcullis of each sample: seccomp.json, apparmor.profile, report.md.</summary>
    public string TodoApiProfiles { get; }
    public string WorkerProfiles { get; }

    public static RegistryClient Client() => new(new RegistryOptions { Credentials = _ => null });

    /// <summary>The newest seccomp profile attached to <paramref name="image"/>, pulled through the referrers.</summary>
    public static async Task<PulledProfile> PullSeccompAsync(string image)
    {
        using var client = Client();
        return await new ProfileArtifacts(client).PullAsync(ImageReference.Parse(image), ProfileKind.Seccomp);
    }

    public void Dispose()
    {
        _todoApi.Dispose();
        _worker.Dispose();
        _inventory.Dispose();
        _gauntlet.Dispose();
        Registry.Dispose();
    }
}
