using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Portcullis.Build.Tasks;

/// <summary>
/// Runs one built test project under the recorder (<c>portcullis record --tests</c>). Recording never fails the
/// publish: whatever goes wrong (no vstest.console, a test host that crashes, a recorder that cannot start) is a
/// coded warning, the stale recording is removed and the profile comes from analysis and the base lists; failing
/// tests are PCL5010 and their recording is kept. Only with <see cref="FailOnUnrecorded"/> do errors stay errors.
/// </summary>
public sealed class RecordTests : PortcullisToolTask
{
    [Required]
    public string TestAssembly { get; set; } = "";

    /// <summary>Where the recording goes.</summary>
    [Required]
    public string Recording { get; set; } = "";

    public string Backend { get; set; } = "auto";

    /// <summary>The SDK's vstest.console.dll, for VSTest projects.</summary>
    public string? VstestConsole { get; set; }

    public bool FailOnUnrecorded { get; set; }

    /// <summary>The recording, when one was written.</summary>
    [Output]
    public ITaskItem? RecordingFile { get; private set; }

    protected override bool ErrorsAsWarnings => !FailOnUnrecorded;

    // What the tests print is theirs: logged, but not at the importance of our own progress lines.
    protected override MessageImportance StandardOutputLoggingImportance => MessageImportance.Normal;

    private string Name => Path.GetFileNameWithoutExtension(TestAssembly);

    protected override void AppendArguments(CommandLineBuilder builder)
    {
        builder.AppendSwitch("record");
        builder.AppendSwitchIfNotNull("--backend ", Backend);
        builder.AppendSwitchIfNotNull("--tests ", TestAssembly);
        if (!string.IsNullOrEmpty(VstestConsole) && File.Exists(VstestConsole))
            builder.AppendSwitchIfNotNull("--vstest ", VstestConsole);
        builder.AppendSwitchIfNotNull("-o ", Recording);
    }

    public override bool Execute()
    {
        // A recording is of these tests or of nothing: an older one must not stand in for a run that failed.
        File.Delete(Recording);
        var ran = base.Execute();
        if (Reported.Any(d => d.Severity == "error") || !File.Exists(Recording) || (!ran && ExitCode == -1))
        {
            File.Delete(Recording);
            var advice = Reported.Any(d => d.Code == "PCL1001" && d.Message.Contains("vstest", StringComparison.Ordinal))
                ? "set PortcullisVstestConsole to the SDK's vstest.console.dll"
                : "fix the cause above, or set PortcullisRecorder=none to publish without recording";
            var text = $"Portcullis: the tests of {Name} could not be recorded, so the profile comes from analysis and the base lists only; {advice}.";
            if (FailOnUnrecorded)
                Log.LogError(null, "PCL5013", null, TestAssembly, 0, 0, 0, 0, "{0}", text + " (PortcullisFailOnUnprofiled is set)");
            else
                Log.LogWarning(null, "PCL5013", null, TestAssembly, 0, 0, 0, 0, "{0}", text);
            return !Log.HasLoggedErrors;
        }
        if (ExitCode != 0)
            Log.LogWarning(null, "PCL5010", null, TestAssembly, 0, 0, 0, 0, "Portcullis: the tests of {0} exited with {1}: some failed, so part of the app's behaviour may be missing from the recording.", Name, ExitCode);
        RecordingFile = new TaskItem(Recording);
        return !Log.HasLoggedErrors;
    }

    // The exit code is the tests' own: Execute says what it means.
    protected override bool HandleTaskExecutionErrors() => true;
}
