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

    /// <summary>The address families (AF_*) the app's sockets can have, or null when its own native code or a P/Invoke into libc can ask for any.</summary>
    public IReadOnlyList<int>? SocketFamilies { get; init; }

    [JsonIgnore]
    public IReadOnlyList<Diagnostic> Diagnostics { get; init; } = [];
}
