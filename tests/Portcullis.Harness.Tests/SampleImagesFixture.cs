namespace Portcullis.Harness.Tests;

/// <summary>One registry for the class, the two base images, and each sample published once: TodoApi framework-dependent on the ASP.NET base, Worker self-contained on the runtime-deps base.</summary>
public sealed class SampleImagesFixture : IDisposable
{
    public SampleImagesFixture()
    {
        Registry = LocalRegistry.Start();
        var aspnet = BaseImages.Push(Registry, BaseImageKind.AspNet);
        var runtimeDeps = BaseImages.Push(Registry, BaseImageKind.RuntimeDeps);
        TodoApi = SampleImages.Publish(Registry, "TodoApi", aspnet, selfContained: false, "fd");
        Worker = SampleImages.Publish(Registry, "Worker", runtimeDeps, selfContained: true, "sc");
    }

    public LocalRegistry Registry { get; }
    public string TodoApi { get; }
    public string Worker { get; }

    public void Dispose() => Registry.Dispose();
}
