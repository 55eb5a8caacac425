using Portcullis.Oci.Artifacts;
using Portcullis.Oci.References;
using Portcullis.Oci.Transport;

namespace Portcullis.Oci.Tests;

/// <summary>An image pushed by the .NET SDK's own `dotnet publish -t:PublishContainer` gets a profile attached.</summary>
public sealed class SdkInteropTests
{
    [Fact]
    public async Task An_image_the_sdk_published_gets_a_profile()
    {
        using var registry = LocalRegistry.Start();
        var baseImage = ScratchImage.Push(registry, "base/scratch:1");
        var project = Directory.CreateTempSubdirectory("portcullis-sdk-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(project, "App.csproj"), """
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                  </PropertyGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(project, "Program.cs"), "System.Console.WriteLine(\"hello\");\n");
            var start = new System.Diagnostics.ProcessStartInfo("dotnet") { WorkingDirectory = project, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "publish", "-t:PublishContainer", $"-p:ContainerBaseImage={baseImage}", $"-p:ContainerRegistry={registry.Host}", "-p:ContainerRepository=shop/app", "-p:ContainerImageTag=1.0", "-p:ContainerRuntimeIdentifier=linux-x64" })
                start.ArgumentList.Add(a);
            start.Environment["DOTNET_CONTAINER_INSECURE_REGISTRIES"] = registry.Host;
            using (var publish = System.Diagnostics.Process.Start(start)!)
            {
                var output = publish.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
                var errors = publish.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
                await publish.WaitForExitAsync(TestContext.Current.CancellationToken);
                Assert.True(publish.ExitCode == 0, await output + await errors);
            }

            using var client = new RegistryClient(new RegistryOptions { Credentials = _ => null });
            var image = ImageReference.Parse($"{registry.Host}/shop/app:1.0");
            var artifacts = new ProfileArtifacts(client);
            var profile = """{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW"}]}"""u8.ToArray();
            var pushed = Assert.Single(await artifacts.PushAsync(image, ProfileKind.Seccomp, profile, new Dictionary<string, string>(), TestContext.Current.CancellationToken));
            var pulled = await artifacts.PullAsync(image, ProfileKind.Seccomp, null, TestContext.Current.CancellationToken);
            Assert.Equal(profile, pulled.Content);
            Assert.Equal(pushed.Artifact.Digest, pulled.Artifact.Digest);
            Assert.Equal((await client.GetManifestAsync(image, TestContext.Current.CancellationToken)).Digest, pulled.Subject.Digest);
        }
        finally
        {
            Directory.Delete(project, recursive: true);
        }
    }
}
