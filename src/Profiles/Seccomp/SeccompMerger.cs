using Portcullis.Profiles.Collections;
using Portcullis.Profiles.Diagnostics;

namespace Portcullis.Profiles.Seccomp;

/// <summary>
/// Union of permissions: a call any input lets through is let through. For each syscall and match
/// (conditions + filters) the most permissive action wins; the default is the most permissive default.
/// Conditional rules are kept as they are (never widened), except where an unconditional rule for the same
/// syscall already grants at least as much. The result is canonical.
/// </summary>
public static class SeccompMerger
{
    public static SeccompProfile Merge(IReadOnlyList<SeccompProfile> profiles, DiagnosticBag diagnostics)
    {
        if (profiles.Count == 0)
            throw new ArgumentException("merge needs at least one profile", nameof(profiles));

        var defaultSource = profiles.MinBy(p => p.DefaultAction)!;
        if (profiles.Select(p => p.DefaultAction).Distinct().Count() > 1)
        {
            diagnostics.Add(Diagnostic.Warning(DiagnosticId.DefaultActionsDiffer,
                $"inputs have different default actions ({string.Join(", ", profiles.Select(p => SeccompActions.Wire.Name(p.DefaultAction)).Distinct())}); the merge uses the most permissive, {SeccompActions.Wire.Name(defaultSource.DefaultAction)}"));
        }

        var listeners = profiles.Select(p => p.ListenerPath).OfType<string>().Distinct().ToList();
        if (listeners.Count > 1)
            diagnostics.Add(Diagnostic.Warning(DiagnosticId.IncompatibleInputs, $"inputs name different listenerPath values; keeping '{listeners[0]}'"));

        // (name, match) -> winning key
        var best = new Dictionary<(string Name, (ValueList<SeccompArgCondition>, RuleFilter, RuleFilter) Match), RuleKey>();
        foreach (var rule in profiles.SelectMany(p => p.Syscalls))
        {
            var key = RuleKey.Of(rule);
            foreach (var name in rule.Names)
            {
                var slot = (name, key.Match);
                if (!best.TryGetValue(slot, out var current) || key.Action < current.Action)
                    best[slot] = key;
            }
        }

        var unconditional = best.Where(b => b.Value.IsPlain).ToDictionary(b => b.Key.Name, b => b.Value.Action, StringComparer.Ordinal);
        var rules = best
            .Where(b => b.Value.IsPlain || b.Value.Args.Count == 0 || !unconditional.TryGetValue(b.Key.Name, out var plain) || b.Value.Action < plain)
            .Select(b => b.Value.ToRule([b.Key.Name]))
            .ToValueList();

        var merged = new SeccompProfile
        {
            DefaultAction = defaultSource.DefaultAction,
            DefaultErrnoRet = defaultSource.DefaultErrnoRet,
            Architectures = profiles.SelectMany(p => p.Architectures).ToValueList(),
            ArchMap = profiles.SelectMany(p => p.ArchMap).ToValueList(),
            Flags = profiles.SelectMany(p => p.Flags).ToValueList(),
            ListenerPath = listeners.FirstOrDefault(),
            ListenerMetadata = profiles.Select(p => p.ListenerMetadata).FirstOrDefault(m => m is not null),
            Syscalls = rules,
            Extra = profiles.SelectMany(p => p.Extra).DistinctBy(e => e.Key).ToValueList(),
        };
        return SeccompCanonicalizer.Normalize(merged);
    }
}
