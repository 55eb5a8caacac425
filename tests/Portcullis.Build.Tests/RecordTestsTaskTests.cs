using Portcullis.Build.Tasks;

namespace Portcullis.Build.Tests;

/// <summary>RecordTests runs the real packaged program (portcullis.dll beside these tests) and logs what it says.</summary>
public sealed class RecordTestsTaskTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("portcullis-build-").FullName;

    private RecordTests Task(RecordingBuildEngine engine, bool failOnUnrecorded = false) => new()
    {
        BuildEngine = engine,
        CliPath = Path.Combine(AppContext.BaseDirectory, "portcullis.dll"),
        TestAssembly = Path.Combine(_dir, "Missing.Tests.dll"),
        Recording = Path.Combine(_dir, "Missing.Tests.json"),
        Backend = "ptrace",
        FailOnUnrecorded = failOnUnrecorded,
    };

    [Fact]
    public void A_test_run_that_cannot_be_recorded_is_the_programs_coded_warning_and_PCL5013_and_the_old_recording_goes()
    {
        var engine = new RecordingBuildEngine();
        var task = Task(engine);
        File.WriteAllText(task.Recording, "{}");

        Assert.True(task.Execute());

        Assert.Empty(engine.Errors);
        Assert.Equal(["PCL1001", "PCL5013"], engine.Warnings.Select(w => w.Code));
        var first = engine.Warnings[0];
        Assert.Equal($"Portcullis: test assembly '{task.TestAssembly}' does not exist; build the test project first", first.Message);
        Assert.StartsWith("Portcullis: the tests of Missing.Tests could not be recorded, so the profile comes from analysis and the base lists only;", engine.Warnings[1].Message, StringComparison.Ordinal);
        Assert.False(File.Exists(task.Recording));
        Assert.Null(task.RecordingFile);
    }

    [Fact]
    public void With_FailOnUnrecorded_the_same_run_is_an_error()
    {
        var engine = new RecordingBuildEngine();

        Assert.False(Task(engine, failOnUnrecorded: true).Execute());

        Assert.Equal(["PCL1001", "PCL5013"], engine.Errors.Select(e => e.Code));
        Assert.Empty(engine.Warnings);
        // One coded error per cause, not also MSBuild's uncoded "exited with code" (MSB6006).
        Assert.DoesNotContain(engine.Errors, e => e.Code == "MSB6006");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
