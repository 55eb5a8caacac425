namespace Portcullis.Profiles.Seccomp;

/// <summary>Seccomp actions, ordered from most permissive to most restrictive (the order merge and intersect use).</summary>
public enum SeccompAction
{
    Allow,
    Log,
    Notify,
    Trace,
    Errno,
    Trap,
    KillThread,
    Kill,
    KillProcess,
}
