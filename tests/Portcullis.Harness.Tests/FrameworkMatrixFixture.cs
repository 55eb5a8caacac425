namespace Portcullis.Harness.Tests;

/// <summary>A registry and the ASP.NET base image for the test-framework matrix.</summary>
public sealed class FrameworkMatrixFixture : IDisposable
{
    public FrameworkMatrixFixture()
    {
        Registry = LocalRegistry.Start();
        AspNetBase = BaseImages.Push(Registry, BaseImageKind.AspNet);
    }

    public LocalRegistry Registry { get; }
    public string AspNetBase { get; }

    public void Dispose() => Registry.Dispose();
}

[CollectionDefinition(Name)]
public sealed class FrameworkMatrixCollection : ICollectionFixture<FrameworkMatrixFixture>
{
    public const string Name = "test-framework matrix";
}
