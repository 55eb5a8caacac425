using Portcullis.Cli.Commands;
using Portcullis.Recorder.Launching;

namespace Portcullis.Cli.Tests;

/// <summary>
/// `portcullis record --tests` runs a built test project without `dotnet test`: a VSTest project (xunit 2 with
/// Microsoft.NET.Test.Sdk) under the SDK's vstest.console, so that its testhost and what the tests start are
/// recorded in full even though vstest.console ends the testhost when the run is over.
/// </summary>
[Collection(LauncherCollection.Name)]
public sealed class TestProjectRecordingTests
{
    public TestProjectRecordingTests() =>
        TargetCommand.LauncherOverride = LauncherCommand.ForAssembly(Path.Combine(AppContext.BaseDirectory, "portcullis.dll"));

    [Fact]
    public void A_vstest_project_is_recorded_through_vstest_console()
    {
        using var dir = new TempDir();
        var project = Path.Combine(dir.Path, "App.Tests");
        Directory.CreateDirectory(project);
        File.WriteAllText(Path.Combine(project, "App.Tests.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><TargetFramework>net10.0</TargetFramework><IsPackable>false</IsPackable><ImplicitUsings>enable</ImplicitUsings></PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Microsoft.NET.Test.Sdk" Version="18.0.1" />
                <PackageReference Include="xunit" Version="2.9.3" />
                <PackageReference Include="xunit.runner.visualstudio" Version="3.1.5" />
              </ItemGroup>
            </Project>
            """);
        // The test starts a child that calls uname: the child belongs to the testhost's tree and must be in the recording.
        File.WriteAllText(Path.Combine(project, "Tests.cs"), """
            public class Tests
            {
                [Xunit.Fact]
                public void Starts_a_child()
                {
                    using var child = System.Diagnostics.Process.Start("/bin/sh", ["-c", "uname > /dev/null"])!;
                    child.WaitForExit();
                    Xunit.Assert.Equal(0, child.ExitCode);
                }
            }
            """);
        File.WriteAllText(Path.Combine(dir.Path, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(dir.Path, "Directory.Packages.props"), "<Project />");
        var (built, buildOutput) = Requires.Run("dotnet", "build", project, "-nologo", "-v", "q");
        Assert.True(built == 0, buildOutput);

        // The SDK's vstest.console at <dotnet root>/sdk/<version>/ (how the package finds it is tested in Portcullis.Build.Tests).
        var dotnetRoot = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", ".."));
        var vstest = Path.Combine(dotnetRoot, "sdk", Requires.Run("dotnet", "--version").Output.Trim(), "vstest.console.dll");
        Assert.True(File.Exists(vstest), vstest);
        var recording = dir.File("tests.json");
        var run = CliRun.Of("record", "--backend", "ptrace", "--tests", Path.Combine(project, "bin", "Debug", "net10.0", "App.Tests.dll"), "--vstest", vstest, "-o", recording);
        Assert.True(run.ExitCode == 0, run.Err);
        var json = File.ReadAllText(recording);
        Assert.Contains("\"uname\"", json, StringComparison.Ordinal);
        Assert.Contains("/bin/uname", json, StringComparison.Ordinal);
    }
}
