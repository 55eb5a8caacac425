using System.CommandLine;
using Portcullis.Recorder;
using Portcullis.Recorder.Launching;

namespace Portcullis.Cli.Commands;

/// <summary>The command after "--" that record and run start.</summary>
internal static class TargetCommand
{
    public static Argument<string[]> Argument() => new("command")
    {
        Description = "The command to run, after --.",
        Arity = ArgumentArity.OneOrMore,
    };

    public static RecordRequest Request(string[] command, BackendChoice backend = BackendChoice.Auto, Action<long, int>? progress = null) => new()
    {
        Path = command[0],
        Arguments = command[1..],
        WorkingDirectory = Environment.CurrentDirectory,
        Backend = backend,
        Launcher = LauncherOverride ?? LauncherCommand.Current(),
        Progress = progress,
    };

    /// <summary>Tests run the CLI inside a test host, which has no launcher mode; they point this at portcullis.dll.</summary>
    internal static LauncherCommand? LauncherOverride { get; set; }
}
