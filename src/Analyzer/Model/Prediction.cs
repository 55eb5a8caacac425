using System.Text.Json.Serialization;
using Portcullis.Profiles.Diagnostics;

namespace Portcullis.Analyzer.Model;

/// <summary>
/// What analysis of a publish directory predicts: syscalls with evidence, the native libraries the reached
/// P/Invokes go into, those the app ships, and whether it hosts a web server (tests that host it in memory
/// never listen). <see cref="Diagnostics"/> says what analysis could not follow; they are reported, not stored.
/// </summary>
public sealed record Prediction
{
    public required string Application { get; init; }
    public required string Runtime { get; init; }
    public IReadOnlyList<PredictedSyscall> Syscalls { get; init; } = [];
    public IReadOnlyList<string> ReachedLibraries { get; init; } = [];
    public IReadOnlyList<string> NativeLibraries { get; init; } = [];
    public bool HostsWebServer { get; init; }
    public int ReachableMethods { get; init; }

    [JsonIgnore]
    public IReadOnlyList<Diagnostic> Diagnostics { get; init; } = [];
}
