namespace Portcullis.Cli.Tests;

/// <summary>
/// The CLI as one trimmed file, as CI images and nodes want it: published self-contained, single-file and
/// trimmed, it records (its launcher re-executes the single file), generates and enforces.
/// </summary>
public sealed class SingleFileTests
{
    [Fact]
    public void The_trimmed_single_file_records_generates_and_runs()
    {
        using var dir = new TempDir();
        var project = Path.Combine(Repo.Root, "src", "Cli", "Portcullis.Cli.csproj");
        var output = Path.Combine(dir.Path, "out");
        // It builds src/Cli with other global properties than the solution does: never beside another such build.
        var (published, log) = RepoLock.While("build", () => Requires.Run("dotnet", "publish", project, "-c", "Release", "-r", "linux-x64", "--self-contained", "-p:PublishSingleFile=true", "-p:PublishTrimmed=true", "-o", output, "-nologo", "-v", "q"));
        Assert.True(published == 0, log);
        var portcullis = Path.Combine(output, "portcullis");
        Assert.DoesNotContain(Directory.GetFiles(output), f => f.EndsWith(".dll", StringComparison.Ordinal));

        foreach (var backend in new[] { "ptrace", "ebpf" })
        {
            var (recorded, recordOutput) = Requires.Run(portcullis, "record", "--backend", backend, "-o", dir.File($"{backend}.json"), "--", "/bin/sh", "-c", "uname > /dev/null; exit 3");
            Assert.True(recorded == 3, recordOutput);
            Assert.Contains($"with {backend}", recordOutput, StringComparison.Ordinal);
        }
        var (generated, generateOutput) = Requires.Run(portcullis, "generate", "--recording", dir.File("ptrace.json"), "--no-dotnet-base", "-o", dir.File("gen"));
        Assert.True(generated == 0, generateOutput);
        var (ran, runOutput) = Requires.Run(portcullis, "run", "--profile", Path.Combine(dir.File("gen"), "seccomp.json"), "--", "/bin/sh", "-c", "uname > /dev/null; exit 3");
        Assert.True(ran == 3, runOutput);
    }
}
