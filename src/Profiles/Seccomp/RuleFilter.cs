using Portcullis.Profiles.Collections;

namespace Portcullis.Profiles.Seccomp;

/// <summary>
/// Docker/Moby's "includes"/"excludes" on a rule: the rule applies only when the container has (or lacks)
/// these capabilities, runs on (or off) these Go architectures, and on a kernel at least MinKernel.
/// Not part of the OCI runtime spec: Docker resolves them before handing the profile to the runtime.
/// </summary>
public sealed record RuleFilter(ValueList<string> Caps, ValueList<string> Arches, string? MinKernel)
{
    public static RuleFilter Empty { get; } = new([], [], null);

    public bool IsEmpty => Caps.Count == 0 && Arches.Count == 0 && MinKernel is null;
}
