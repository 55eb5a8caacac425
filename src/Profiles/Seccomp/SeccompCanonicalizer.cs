using Portcullis.Profiles.Collections;

namespace Portcullis.Profiles.Seccomp;

/// <summary>
/// The canonical form: one rule per distinct (action, errno, conditions, filters) with its names sorted and
/// deduplicated; rules ordered by action (permissive first), unconditional before conditional, then by
/// first name; architectures and flags deduplicated in a fixed order; unknown fields sorted by key.
/// Two profiles that mean the same rules therefore render byte-equal.
/// </summary>
public static class SeccompCanonicalizer
{
    public static SeccompProfile Normalize(SeccompProfile profile)
    {
        var groups = new Dictionary<RuleKey, SortedSet<string>>();
        var order = new List<RuleKey>();
        foreach (var rule in profile.Syscalls)
        {
            var key = RuleKey.Of(rule);
            if (!groups.TryGetValue(key, out var names))
            {
                groups[key] = names = new SortedSet<string>(StringComparer.Ordinal);
                order.Add(key);
            }
            names.UnionWith(rule.Names);
        }

        var rules = order
            .Where(k => groups[k].Count > 0)
            .OrderBy(k => k.Action)
            .ThenBy(k => k.Args.Count > 0)
            .ThenBy(k => !k.Includes.IsEmpty || !k.Excludes.IsEmpty)
            .ThenBy(k => groups[k].Min, StringComparer.Ordinal)
            .ThenBy(k => k.Args, Comparer<ValueList<SeccompArgCondition>>.Create(CompareArgs))
            .ThenBy(k => k.ErrnoRet)
            .ThenBy(k => k.Comment, StringComparer.Ordinal)
            .Select(k => k.ToRule(groups[k]))
            .ToValueList();

        return profile with
        {
            Architectures = profile.Architectures.Distinct().Order().ToValueList(),
            ArchMap = profile.ArchMap.DistinctBy(m => m.Architecture).OrderBy(m => m.Architecture)
                .Select(m => m with { SubArchitectures = m.SubArchitectures.Distinct().Order().ToValueList() }).ToValueList(),
            Flags = profile.Flags.Distinct().Order().ToValueList(),
            Syscalls = rules,
            Extra = profile.Extra.OrderBy(e => e.Key, StringComparer.Ordinal).ToValueList(),
        };
    }

    private static int CompareArgs(ValueList<SeccompArgCondition>? a, ValueList<SeccompArgCondition>? b)
    {
        if (a is null || b is null)
            return (a is null).CompareTo(b is null);
        for (var i = 0; i < Math.Min(a.Count, b.Count); i++)
        {
            var c = SeccompArgCondition.Order.Compare(a[i], b[i]);
            if (c != 0)
                return c;
        }
        return a.Count.CompareTo(b.Count);
    }
}
