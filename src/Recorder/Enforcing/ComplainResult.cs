namespace Portcullis.Recorder.Enforcing;

public sealed record ComplainResult(int ExitCode, IReadOnlyList<Denial> Denials);
