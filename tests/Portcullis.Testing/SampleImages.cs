using System.Diagnostics;
using Xunit;

namespace Portcullis.Testing;

/// <summary>Publishes a sample with the .NET SDK's own container support (dotnet publish -t:PublishContainer) to a test registry.</summary>
public static class SampleImages
{
    public static string Publish(LocalRegistry registry, string sample, string baseImage, bool selfContained, string tag)
    {
        var project = Path.Combine(Repo.Root, "samples", sample);
        var output = Directory.CreateTempSubdirectory("portcullis-publish-").FullName;
        try
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            string[] args =
            [
                "publish", project, "-t:PublishContainer", "-o", output, "-nologo",
                $"-p:ContainerBaseImage={baseImage}", $"-p:ContainerRegistry={registry.Host}",
                $"-p:ContainerRepository=samples/{sample.ToLowerInvariant()}", $"-p:ContainerImageTag={tag}",
                .. selfContained ? new[] { "--self-contained", "-r", "linux-x64" } : ["-p:ContainerRuntimeIdentifier=linux-x64"],
            ];
            foreach (var a in args)
                start.ArgumentList.Add(a);
            start.Environment["DOTNET_CONTAINER_INSECURE_REGISTRIES"] = registry.Host;
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"publishing {sample} failed:\n{stdout.Result}\n{stderr.Result}");
            return $"{registry.Host}/samples/{sample.ToLowerInvariant()}:{tag}";
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }
}
