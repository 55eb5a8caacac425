namespace Portcullis.Analyzer.Model;

/// <summary>
/// What analysis of a publish directory predicts: syscalls with evidence, the API groups the app uses, the
/// native libraries it ships, and whether it hosts a web server (tests that host it in memory never listen).
/// </summary>
public sealed record Prediction
{
    public required string Application { get; init; }
    public required string Runtime { get; init; }
    public IReadOnlyList<PredictedSyscall> Syscalls { get; init; } = [];
    public IReadOnlyList<string> Groups { get; init; } = [];
    public IReadOnlyList<string> NativeLibraries { get; init; } = [];
    public bool HostsWebServer { get; init; }
    public int ReachableMethods { get; init; }
}
