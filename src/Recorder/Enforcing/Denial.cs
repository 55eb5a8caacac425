using Portcullis.Profiles.Seccomp;

namespace Portcullis.Recorder.Enforcing;

/// <summary>A syscall the profile would have stopped (complain mode), the action it would have taken, and how often.</summary>
public sealed record Denial(SeccompArch Architecture, int Number, string Name, SeccompAction Action, long Count);
