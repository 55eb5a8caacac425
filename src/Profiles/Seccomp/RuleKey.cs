using Portcullis.Profiles.Collections;
using Portcullis.Profiles.Documents;

namespace Portcullis.Profiles.Seccomp;

/// <summary>Everything about a rule except its names: rules with equal keys can share one names list.</summary>
public sealed record RuleKey(SeccompAction Action, uint? ErrnoRet, ValueList<SeccompArgCondition> Args, string? Comment, RuleFilter Includes, RuleFilter Excludes, ValueList<DocEntry> Extra)
{
    public static RuleKey Of(SeccompRule rule) => new(
        rule.Action, rule.ErrnoRet, rule.Args.Order(SeccompArgCondition.Order).ToValueList(), rule.Comment, rule.Includes, rule.Excludes, rule.Extra);

    /// <summary>The part that decides which calls match: conditions and Docker filters, not the action.</summary>
    public (ValueList<SeccompArgCondition> Args, RuleFilter Includes, RuleFilter Excludes) Match => (Args, Includes, Excludes);

    public bool IsPlain => Args.Count == 0 && Includes.IsEmpty && Excludes.IsEmpty;

    public SeccompRule ToRule(IEnumerable<string> names) => new()
    {
        Names = names.ToValueList(),
        Action = Action,
        ErrnoRet = ErrnoRet,
        Args = Args,
        Comment = Comment,
        Includes = Includes,
        Excludes = Excludes,
        Extra = Extra,
    };
}
