namespace Portcullis.Profiles.Seccomp;

/// <summary>Allowed-syscall counts on one architecture, with the reference profile's counts beside them.</summary>
public sealed record StatsRow(SeccompArch Architecture, int Allowed, int Conditional, int Known, int ReferenceAllowed, int ReferenceConditional);
