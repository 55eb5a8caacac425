namespace Portcullis.Cli.Tests;

/// <summary>The CLI as users get it: packed as the `portcullis` dotnet tool, installed, and run (record re-executes the installed tool as its launcher).</summary>
public sealed class ToolPackageTests
{
    [Fact]
    public void The_packed_tool_installs_and_records()
    {
        using var dir = new TempDir();
        var project = Path.Combine(Repo.Root, "src", "Cli", "Portcullis.Cli.csproj");
        var packages = Path.Combine(dir.Path, "packages");
        var tools = Path.Combine(dir.Path, "tools");
        // It builds src/Cli with other global properties than the solution does: never beside another such build.
        var (packed, packOutput) = RepoLock.While("build", () => Requires.Run("dotnet", "pack", project, "-c", "Release", "-o", packages, "-nologo", "-v", "q"));
        Assert.True(packed == 0, packOutput);
        Assert.Single(Directory.GetFiles(packages, "Portcullis.Cli.*.nupkg"));
        var (installed, installOutput) = Requires.Run("dotnet", "tool", "install", "--tool-path", tools, "--add-source", packages, "Portcullis.Cli");
        Assert.True(installed == 0, installOutput);

        var portcullis = Path.Combine(tools, "portcullis");
        var (validated, validateOutput) = Requires.Run(portcullis, "validate", "-q", Repo.Data("spo/baseprofile-crun.yaml"));
        Assert.True(validated == 0, validateOutput);
        var (recorded, recordOutput) = Requires.Run(portcullis, "record", "--backend", "ptrace", "-o", dir.File("r.json"), "--", "/bin/sh", "-c", "exit 3");
        Assert.Equal(3, recorded);
        Assert.Contains("with ptrace", recordOutput, StringComparison.Ordinal);
        Assert.Contains("\"exit_group\"", File.ReadAllText(dir.File("r.json")), StringComparison.Ordinal);
    }
}
