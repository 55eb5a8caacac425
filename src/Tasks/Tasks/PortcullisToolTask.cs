using System.Diagnostics;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Portcullis.Build.Tasks;

/// <summary>
/// Runs one command of the packaged portcullis program (<c>dotnet exec portcullis.dll ...</c>) and turns the coded
/// diagnostics it prints (one JSON object per line behind <c>##portcullis:</c>, PORTCULLIS_DIAGNOSTICS=json) into
/// MSBuild warnings and errors with their PCL codes, files and lines. Every other line is logged as a message.
/// </summary>
public abstract class PortcullisToolTask : ToolTask
{
    // The same as Portcullis.Profiles.Diagnostics.DiagnosticLine.JsonMarker: this assembly references nothing of ours.
    internal const string Marker = "##portcullis:";

    /// <summary>The packaged program's portcullis.dll.</summary>
    [Required]
    public string CliPath { get; set; } = "";

    /// <summary>The dotnet host MSBuild runs on (DOTNET_HOST_PATH); dotnet on PATH when empty.</summary>
    public string? DotnetHost { get; set; }

    /// <summary>Log the program's errors as warnings (for steps that must never fail the build).</summary>
    protected virtual bool ErrorsAsWarnings => false;

    /// <summary>The diagnostics the program reported, for the task to act on after it ran.</summary>
    protected List<ToolDiagnostic> Reported { get; } = [];

    protected override string ToolName => "dotnet";

    protected override MessageImportance StandardOutputLoggingImportance => MessageImportance.High;

    protected override MessageImportance StandardErrorLoggingImportance => MessageImportance.Normal;

    protected override string GenerateFullPathToTool() =>
        string.IsNullOrEmpty(DotnetHost) ? ToolName : DotnetHost!;

    protected override string GenerateCommandLineCommands()
    {
        var builder = new CommandLineBuilder(quoteHyphensOnCommandLine: false, useNewLineSeparator: false);
        builder.AppendSwitch("exec");
        builder.AppendFileNameIfNotNull(CliPath);
        AppendArguments(builder);
        return builder.ToString();
    }

    /// <summary>The command and its arguments after <c>portcullis</c>.</summary>
    protected abstract void AppendArguments(CommandLineBuilder builder);

    protected override bool ValidateParameters()
    {
        if (File.Exists(CliPath))
            return true;
        Log.LogError(null, "PCL1001", null, null, 0, 0, 0, 0, "Portcullis: the packaged program '{0}' does not exist; restore the Portcullis.Build package again.", CliPath);
        return false;
    }

    protected override ProcessStartInfo GetProcessStartInfo(string pathToTool, string commandLineCommands, string responseFileSwitch)
    {
        var start = base.GetProcessStartInfo(pathToTool, commandLineCommands, responseFileSwitch);
        start.Environment["PORTCULLIS_DIAGNOSTICS"] = "json";
        // Secrets go straight into the child's environment: task parameters and ToolTask's own environment list are logged.
        foreach (var (name, value) in SecretEnvironment())
            start.Environment[name] = value;
        return start;
    }

    /// <summary>Variables for the program that must not appear in any log.</summary>
    protected virtual IEnumerable<(string Name, string Value)> SecretEnvironment() => [];

    protected override void LogEventsFromTextOutput(string singleLine, MessageImportance messageImportance)
    {
        if (!singleLine.StartsWith(Marker, StringComparison.Ordinal) || ToolDiagnostic.Parse(singleLine.Substring(Marker.Length)) is not { } d)
        {
            OnOutputLine(singleLine, messageImportance);
            return;
        }
        Reported.Add(d);
        var severity = d.Severity == "error" && ErrorsAsWarnings ? "warning" : d.Severity;
        var message = "Portcullis: " + (d.Field is null ? "" : d.Field + ": ") + d.Message;
        switch (severity)
        {
            case "error":
                Log.LogError(null, d.Code, null, d.File, d.Line, d.Column, 0, 0, "{0}", message);
                break;
            case "warning":
                Log.LogWarning(null, d.Code, null, d.File, d.Line, d.Column, 0, 0, "{0}", message);
                break;
            default:
                Log.LogMessage(MessageImportance.Normal, "{0}: {1}", d.Code, message);
                break;
        }
    }

    /// <summary>A line that is not a diagnostic: the program's own output, or what a recorded command printed.</summary>
    protected virtual void OnOutputLine(string line, MessageImportance importance) =>
        Log.LogMessage(importance, "{0}", line);

    /// <summary>
    /// A non-zero exit after a coded error needs no second, uncoded error (MSB6006); a non-zero exit without one
    /// is still an error, unless the task says what it means.
    /// </summary>
    protected override bool HandleTaskExecutionErrors()
    {
        if (Reported.Any(d => d.Severity == "error"))
            return !Log.HasLoggedErrors;
        return base.HandleTaskExecutionErrors();
    }
}
