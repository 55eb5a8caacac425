using Portcullis.Recorder.Observations;

namespace Portcullis.Recorder;

/// <summary>The command's exit status (128+N when killed by signal N) and what was recorded; FallbackReason says why auto chose ptrace.</summary>
public sealed record RecordResult(int ExitCode, Recording Recording, Backend Backend, string? FallbackReason);
