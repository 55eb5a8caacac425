using Portcullis.Oci.Artifacts;
using Portcullis.Oci.References;

namespace Portcullis.Harness.Tests;

/// <summary>
/// Images built without the SDK's container support (a Dockerfile after `dotnet publish`): a plain publish with
/// PortcullisGenerate=true writes the same portcullis/ folder, and `portcullis attach` (the packaged program)
/// attaches it to an image pushed by any tool (here: the fixture's, pushed by the SDK).
/// </summary>
[Collection(SamplesCollection.Name)]
public sealed class PlainPublishTests(SampleImagesFixture images)
{
    private static readonly string[] GeneratedFiles = ["seccomp.json", "apparmor.profile", "report.md"];

    [Fact]
    public async Task A_plain_publish_generates_and_attach_puts_the_profiles_on_any_image()
    {
        var cancel = TestContext.Current.CancellationToken;
        using var workspace = SampleWorkspace.Create("Worker");
        var (code, output) = Dotnet.Run(workspace.Root, "publish", workspace.Project, "-c", "Release", "-nologo", "-p:PortcullisGenerate=true");
        Assert.True(code == 0, output);
        Assert.Contains("Portcullis: recording the tests of Worker.Tests", output, StringComparison.Ordinal);
        var folder = workspace.ProfileDirectory();
        Assert.All(GeneratedFiles, f => Assert.True(File.Exists(Path.Combine(folder, f)), f));

        var portcullis = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages", "portcullis.build", PortcullisPackage.Version, "tools", "portcullis", "portcullis.dll");
        var target = $"{images.Registry.Host}/samples/worker:sc";
        var (attached, attachOutput) = Dotnet.Run(workspace.Root, "exec", portcullis, "attach", target, "--from", folder);
        Assert.True(attached == 0, attachOutput);

        using var client = SampleImagesFixture.Client();
        var pulled = await new ProfileArtifacts(client).PullAsync(ImageReference.Parse(target), ProfileKind.Seccomp, null, cancel);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(folder, "seccomp.json"), cancel), pulled.Content);
        Assert.Equal("recorded,predicted,base", pulled.Artifact.Annotations[ProfileArtifactFormat.Sources]);
    }
}
