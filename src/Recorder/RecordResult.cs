using Portcullis.Profiles.Recordings;

namespace Portcullis.Recorder;

/// <summary>
/// The command's exit status (128+N when killed by signal N) and what was recorded. FallbackReason says why
/// auto chose ptrace; Notes say what part of the recording this backend could not make here.
/// </summary>
public sealed record RecordResult(int ExitCode, Recording Recording, Backend Backend, string? FallbackReason)
{
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>What may make the recording differ from the command's real behaviour (PCL5006, PCL5007).</summary>
    public IReadOnlyList<Profiles.Diagnostics.Diagnostic> Warnings { get; init; } = [];
}
