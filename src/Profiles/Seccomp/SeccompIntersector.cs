using Portcullis.Profiles.Collections;
using Portcullis.Profiles.Diagnostics;

namespace Portcullis.Profiles.Seccomp;

/// <summary>
/// What both profiles allow. Per syscall the more restrictive treatment wins; where one side is
/// unconditional and the other conditional, the conditions are kept with the stricter action; where both are
/// conditional, only identical conditions survive (the rest fall to the default, with a warning).
/// Architectures are those both name. Docker filters must be resolved first.
/// </summary>
public static class SeccompIntersector
{
    public static SeccompProfile Intersect(SeccompProfile a, SeccompProfile b, DiagnosticBag diagnostics)
    {
        var defaultAction = SeccompActions.MoreRestrictive(a.DefaultAction, b.DefaultAction);
        var defaultErrno = defaultAction == a.DefaultAction ? a.DefaultErrnoRet : b.DefaultErrnoRet;
        var rulesA = Plain(a);
        var rulesB = Plain(b);
        var rules = new List<SeccompRule>();
        foreach (var name in rulesA.Keys.Union(rulesB.Keys).Order(StringComparer.Ordinal))
        {
            var ra = rulesA.GetValueOrDefault(name) ?? [RuleKey.Of(new SeccompRule { Names = [], Action = a.DefaultAction, ErrnoRet = a.DefaultErrnoRet })];
            var rb = rulesB.GetValueOrDefault(name) ?? [RuleKey.Of(new SeccompRule { Names = [], Action = b.DefaultAction, ErrnoRet = b.DefaultErrnoRet })];
            foreach (var key in IntersectOne(name, ra, rb, diagnostics))
            {
                if (!(key.Args.Count == 0 && key.Action == defaultAction))
                    rules.Add(key.ToRule([name]));
            }
        }

        var archB = b.Architectures.ToHashSet();
        return SeccompCanonicalizer.Normalize(new SeccompProfile
        {
            DefaultAction = defaultAction,
            DefaultErrnoRet = defaultErrno,
            Architectures = a.Architectures.Count == 0 ? b.Architectures : b.Architectures.Count == 0 ? a.Architectures : a.Architectures.Where(archB.Contains).ToValueList(),
            Flags = a.Flags.Intersect(b.Flags).ToValueList(),
            ListenerPath = a.ListenerPath ?? b.ListenerPath,
            ListenerMetadata = a.ListenerMetadata ?? b.ListenerMetadata,
            Syscalls = rules.ToValueList(),
        });
    }

    private static IEnumerable<RuleKey> IntersectOne(string name, List<RuleKey> a, List<RuleKey> b, DiagnosticBag diagnostics)
    {
        var plainA = a.Count == 1 && a[0].Args.Count == 0 ? a[0] : null;
        var plainB = b.Count == 1 && b[0].Args.Count == 0 ? b[0] : null;
        if (plainA is not null && plainB is not null)
            return [Stricter(plainA, plainB)];
        if (plainA is not null)
            return b.Select(k => k with { Action = SeccompActions.MoreRestrictive(k.Action, plainA.Action), ErrnoRet = k.Action >= plainA.Action ? k.ErrnoRet : plainA.ErrnoRet });
        if (plainB is not null)
            return a.Select(k => k with { Action = SeccompActions.MoreRestrictive(k.Action, plainB.Action), ErrnoRet = k.Action >= plainB.Action ? k.ErrnoRet : plainB.ErrnoRet });

        var common = a.Where(ka => b.Any(kb => kb.Args.Equals(ka.Args))).Select(ka => Stricter(ka, b.First(kb => kb.Args.Equals(ka.Args)))).ToList();
        if (common.Count < Math.Max(a.Count, b.Count))
            diagnostics.Add(Diagnostic.Warning(DiagnosticId.ConditionsDropped, $"'{name}': the two profiles use different argument conditions; only the ones both share are kept, the rest fall to the default action"));
        return common;
    }

    private static RuleKey Stricter(RuleKey x, RuleKey y) => x.Action >= y.Action ? x : y;

    private static Dictionary<string, List<RuleKey>> Plain(SeccompProfile profile)
    {
        if (profile.UsesDockerExtensions)
            throw new InvalidOperationException("resolve Docker includes/excludes before intersecting");
        var result = new Dictionary<string, List<RuleKey>>(StringComparer.Ordinal);
        foreach (var rule in profile.Syscalls)
        {
            var key = RuleKey.Of(rule) with { Comment = null, Extra = [] };
            foreach (var name in rule.Names)
            {
                if (!result.TryGetValue(name, out var list))
                    result[name] = list = [];
                if (!list.Contains(key))
                    list.Add(key);
            }
        }
        return result;
    }
}
