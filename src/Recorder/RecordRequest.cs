using Portcullis.Recorder.Launching;

namespace Portcullis.Recorder;

/// <summary>A command to record: program (looked up on PATH if it has no slash), arguments, environment, working directory.</summary>
public sealed record RecordRequest
{
    public required string Path { get; init; }
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>The target's environment; null inherits this process's.</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    public string? WorkingDirectory { get; init; }
    public BackendChoice Backend { get; init; } = BackendChoice.Auto;

    /// <summary>How to re-execute this program in launcher mode; null means the running program.</summary>
    public LauncherCommand? Launcher { get; init; }

    /// <summary>Called on the recording thread now and then with (syscalls seen, distinct syscalls).</summary>
    public Action<long, int>? Progress { get; init; }

    internal LaunchRequest ToLaunch(LaunchMode mode) => new()
    {
        Mode = mode,
        Path = Path,
        Arguments = Arguments,
        Environment = Environment ?? System.Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal),
        WorkingDirectory = WorkingDirectory,
    };

    internal IReadOnlyList<string> CommandLine => [Path, .. Arguments];
}
