namespace Portcullis.Harness.Tests;

/// <summary>
/// Every test framework a user may have, through the package: samples/Shelf with one of its test projects, copied
/// out as a user's solution, published with `dotnet publish -t:PublishContainer`. The tested path is the only thing
/// in the run that makes `symlink`, so a recording that holds it is a recording of the tests; the image must carry
/// the profile, with symlink allowed because it was recorded.
/// </summary>
[Collection(FrameworkMatrixCollection.Name)]
public sealed class TestFrameworkMatrixTests(FrameworkMatrixFixture lab)
{
    [Theory]
    [InlineData("Xunit2")]     // xunit 2 + Microsoft.NET.Test.Sdk: VSTest
    [InlineData("XunitV3")]    // xunit.v3: Microsoft.Testing.Platform
    [InlineData("NUnit")]      // NUnit 4 + NUnit3TestAdapter: VSTest
    [InlineData("MSTest")]     // MSTest.TestAdapter: VSTest; multi-targeted net8.0;net10.0
    [InlineData("MSTestSdk")]  // MSTest.Sdk: the MSTest runner on Microsoft.Testing.Platform
    [InlineData("TUnit")]      // TUnit: Microsoft.Testing.Platform
    [InlineData("WebFactory")] // WebApplicationFactory in memory, xunit 2 on VSTest
    public async Task The_tests_of_each_framework_are_recorded_and_the_image_gets_their_profile(string framework)
    {
        var tests = $"Shelf.{framework}.Tests";
        using var workspace = SampleWorkspace.Create("Shelf", [tests]);
        var tag = framework.ToLowerInvariant();
        var output = workspace.PublishContainer(lab.Registry, lab.AspNetBase, tag, "-f", "net10.0", "-p:ContainerRuntimeIdentifier=linux-x64");

        Assert.Contains($"Portcullis: recording the tests of {tests}", output, StringComparison.Ordinal);
        Assert.DoesNotContain("PCL5013", output, StringComparison.Ordinal);
        Assert.DoesNotContain("PCL5010", output, StringComparison.Ordinal);
        var recording = File.ReadAllText(workspace.Recording(tests));
        Assert.Contains("\"symlink", recording, StringComparison.Ordinal);
        if (framework == "MSTest")
            Assert.Contains("recording it for net10.0", output, StringComparison.Ordinal);

        var pulled = await SampleImagesFixture.PullSeccompAsync($"{lab.Registry.Host}/samples/shelf:{tag}");
        using var profile = System.Text.Json.JsonDocument.Parse(pulled.Content);
        var names = profile.RootElement.GetProperty("syscalls").EnumerateArray()
            .Where(r => r.GetProperty("action").GetString() == "SCMP_ACT_ALLOW")
            .SelectMany(r => r.GetProperty("names").EnumerateArray().Select(n => n.GetString())).ToHashSet();
        Assert.Contains(names, n => n is "symlink" or "symlinkat");
        var report = File.ReadAllText(Path.Combine(workspace.ProfileDirectory(), "report.md"));
        Assert.Contains(tests, report, StringComparison.Ordinal);
    }

    [Fact]
    public void A_test_host_that_cannot_start_is_a_warning_and_the_profile_comes_from_analysis()
    {
        using var workspace = SampleWorkspace.Create("Shelf", ["Shelf.Xunit2.Tests"]);
        var (code, output) = Dotnet.Run(workspace.Root, "publish", workspace.Project, "-c", "Release", "-nologo", "-f", "net10.0",
            "-p:PortcullisGenerate=true", "-p:PortcullisVstestConsole=/nonexistent/vstest.console.dll");

        Assert.True(code == 0, output);
        Assert.Contains("warning PCL5013", output, StringComparison.Ordinal);
        Assert.Contains("PortcullisVstestConsole", output, StringComparison.Ordinal);
        Assert.DoesNotContain(" error ", output, StringComparison.Ordinal);
        Assert.False(File.Exists(workspace.Recording("Shelf.Xunit2.Tests")));
        var report = File.ReadAllText(Path.Combine(workspace.ProfileDirectory(), "report.md"));
        Assert.DoesNotContain("Shelf.Xunit2.Tests", report, StringComparison.Ordinal);
        Assert.Contains("predicted", report, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void With_PortcullisFailOnUnprofiled_a_test_run_that_cannot_be_recorded_fails_the_publish()
    {
        using var workspace = SampleWorkspace.Create("Shelf", ["Shelf.Xunit2.Tests"]);
        var (code, output) = Dotnet.Run(workspace.Root, "publish", workspace.Project, "-c", "Release", "-nologo", "-f", "net10.0",
            "-p:PortcullisGenerate=true", "-p:PortcullisVstestConsole=/nonexistent/vstest.console.dll", "-p:PortcullisFailOnUnprofiled=true");

        Assert.NotEqual(0, code);
        Assert.Contains("error PCL5013", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_test_host_that_crashes_is_a_warning_and_the_publish_goes_on()
    {
        using var workspace = SampleWorkspace.Create("Shelf", ["Shelf.Xunit2.Tests"]);
        File.WriteAllText(Path.Combine(workspace.Root, "Shelf.Xunit2.Tests", "CrashTests.cs"), """
            namespace Shelf.Xunit2.Tests;

            public class CrashTests
            {
                [Fact]
                public void The_host_dies() => Environment.FailFast("a test host that crashes");
            }
            """);
        var (code, output) = Dotnet.Run(workspace.Root, "publish", workspace.Project, "-c", "Release", "-nologo", "-f", "net10.0", "-p:PortcullisGenerate=true");

        Assert.True(code == 0, output);
        Assert.Matches("warning PCL50(10|13)", output);
        Assert.DoesNotContain(" error ", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(workspace.ProfileDirectory(), "seccomp.json")));
    }
}
