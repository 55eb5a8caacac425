using Portcullis.Profiles.Recordings;

namespace Portcullis.Recorder.Ptrace;

/// <summary>What a traced run produced: the exit status, the observations, and (complain mode) the stops by the action that would have applied.</summary>
internal sealed record TraceOutcome(int ExitCode, ObservationSink Sink, IReadOnlyDictionary<(Profiles.Seccomp.SeccompArch Arch, int Nr, Profiles.Seccomp.SeccompAction Action), long> Complaints);
