using Portcullis.Profiles.Recordings;

namespace Portcullis.Recorder.Ptrace;

/// <summary>What a traced run produced: the exit status, the observations, (complain mode) the stops by the action that would have applied, and what was left running.</summary>
internal sealed record TraceOutcome(int ExitCode, ObservationSink Sink, IReadOnlyDictionary<(Profiles.Seccomp.SeccompArch Arch, int Nr, Profiles.Seccomp.SeccompAction Action), long> Complaints)
{
    /// <summary>Processes the command left running when it exited (killed then, as in a container).</summary>
    public int LeftRunning { get; init; }
}
