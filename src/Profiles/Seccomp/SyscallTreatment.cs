using Portcullis.Profiles.Collections;

namespace Portcullis.Profiles.Seccomp;

/// <summary>How one profile treats one syscall: its rules (sorted), or nothing, meaning the default action applies.</summary>
public sealed record SyscallTreatment(ValueList<RuleKey> Rules)
{
    public bool UsesDefault => Rules.Count == 0;

    /// <summary>The action of the unconditional rule, if there is exactly that.</summary>
    public SeccompAction? Unconditional => Rules.Count == 1 && Rules[0].Args.Count == 0 ? Rules[0].Action : null;

    public string Describe(SeccompAction defaultAction)
    {
        if (UsesDefault)
            return $"default ({SeccompActions.Wire.Name(defaultAction)})";
        return string.Join("; ", Rules.Select(r =>
            SeccompActions.Wire.Name(r.Action)
            + (r.ErrnoRet is { } e ? $"({e})" : "")
            + (r.Args.Count > 0 ? " if " + string.Join(" && ", r.Args) : "")));
    }
}
