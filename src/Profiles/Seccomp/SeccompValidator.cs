using Portcullis.Profiles.Diagnostics;
using Portcullis.Profiles.Syscalls;

namespace Portcullis.Profiles.Seccomp;

/// <summary>
/// Checks a profile for what would make runc, crun or libseccomp reject it, silently ignore part of it, or
/// make it weaker than it looks. Errors: the profile is wrong. Warnings: it probably does not do what its
/// author meant. Info: worth knowing.
/// </summary>
public static class SeccompValidator
{
    private const int MaxArgs = 6;

    /// <param name="p">the profile.</param>
    /// <param name="fieldPrefix">prepended to field names, e.g. "spec." for an SPO resource, so they match the user's file.</param>
    public static IReadOnlyList<Diagnostic> Validate(SeccompProfile p, string fieldPrefix = "") =>
        fieldPrefix.Length == 0 ? Check(p) : Check(p).Select(d => d.Field is null ? d : d with { Field = fieldPrefix + d.Field }).ToList();

    private static List<Diagnostic> Check(SeccompProfile p)
    {
        var found = new List<Diagnostic>();
        var defaultName = SeccompActions.Wire.Name(p.DefaultAction);

        if (p.DefaultAction.LetsSyscallRun())
            found.Add(Diagnostic.Warning(DiagnosticId.AllowingDefaultAction, $"defaultAction {defaultName} lets every syscall no rule names run: the profile blocks only what its rules deny", p.OriginOf("defaultAction"), "defaultAction"));
        if (p.DefaultErrnoRet is not null && !p.DefaultAction.TakesErrno())
            found.Add(Diagnostic.Error(DiagnosticId.ErrnoRetWithoutErrnoAction, $"defaultErrnoRet is set but defaultAction {defaultName} returns no errno", p.OriginOf("defaultErrnoRet"), "defaultErrnoRet"));

        CheckArchitectures(p, found);
        CheckListener(p, found);

        var arches = p.EffectiveArchitectures().Where(a => a != SeccompArch.Native).ToList();
        var missingOnArch = arches.ToDictionary(a => a, _ => new SortedSet<string>(StringComparer.Ordinal));
        var seen = new Dictionary<(string, object), (RuleKey Key, int Rule)>();

        for (var i = 0; i < p.Syscalls.Count; i++)
        {
            var rule = p.Syscalls[i];
            var field = $"syscalls[{i}]";
            CheckRuleShape(rule, field, p.DefaultAction, found);
            var key = RuleKey.Of(rule);
            for (var n = 0; n < rule.Names.Count; n++)
            {
                var name = rule.Names[n];
                var nameField = $"{field}.names[{n}]";
                if (!SyscallTable.Exists(name))
                {
                    var hint = SyscallTable.Nearest(name) is { } near ? $" (did you mean '{near}'?)" : "";
                    found.Add(Diagnostic.Error(DiagnosticId.UnknownSyscall, $"unknown syscall '{name}'{hint}: runc and crun skip names they cannot resolve, so this rule does nothing for it", rule.OriginOfName(n), nameField));
                    continue;
                }
                var ruleArches = ArchitecturesOf(rule, arches);
                if (ruleArches.Count > 0)
                {
                    var on = ruleArches.Where(a => SyscallTable.ExistsOn(name, a)).ToList();
                    if (on.Count == 0)
                        found.Add(Diagnostic.Warning(DiagnosticId.SyscallNotOnArchitecture, $"'{name}' does not exist on {string.Join(", ", ruleArches.Select(SeccompArchitectures.Wire.Name))}", rule.OriginOfName(n), nameField));
                    else if (p.ArchMap.Count == 0)
                        foreach (var a in ruleArches.Except(on))
                        {
                            // A rule's includes.arches may name an architecture the profile does not list.
                            if (missingOnArch.TryGetValue(a, out var missing))
                                missing.Add(name);
                        }
                }

                var slot = (name, (object)key.Match);
                if (seen.TryGetValue(slot, out var earlier))
                {
                    if (earlier.Key.Action == key.Action && earlier.Key.ErrnoRet == key.ErrnoRet)
                        found.Add(Diagnostic.Warning(DiagnosticId.DuplicateRule, $"'{name}' already has the same rule in syscalls[{earlier.Rule}]", rule.OriginOfName(n), nameField));
                    else
                        found.Add(Diagnostic.Error(DiagnosticId.ContradictoryRules, $"'{name}' is {Describe(key)} here but {Describe(earlier.Key)} in syscalls[{earlier.Rule}] for the same arguments", rule.OriginOfName(n), nameField));
                }
                else
                {
                    seen[slot] = (key, i);
                }
            }
        }

        foreach (var (arch, names) in missingOnArch.Where(m => m.Value.Count > 0))
        {
            found.Add(Diagnostic.Info(DiagnosticId.SyscallsMissingOnArchitecture,
                $"{names.Count} syscall(s) do not exist on {SeccompArchitectures.Wire.Name(arch)} and are ignored there: {string.Join(", ", names.Take(12))}{(names.Count > 12 ? ", ..." : "")}", p.OriginOf("architectures"), "architectures"));
        }
        return found;
    }

    // A Docker rule limited by includes.arches applies only on those architectures (and their compat ABIs).
    private static List<SeccompArch> ArchitecturesOf(SeccompRule rule, List<SeccompArch> profileArches)
    {
        if (rule.Includes.Arches.Count == 0)
            return profileArches;
        return rule.Includes.Arches
            .Select(SeccompArchitectures.FromGoArch).OfType<SeccompArch>()
            .SelectMany(a => a.SubArchitectures().Prepend(a))
            .Distinct().ToList();
    }

    private static void CheckRuleShape(SeccompRule rule, string field, SeccompAction defaultAction, List<Diagnostic> found)
    {
        if (rule.Names.Count == 0)
            found.Add(Diagnostic.Error(DiagnosticId.EmptyNames, "the rule names no syscall", rule.Origin, field + ".names"));
        if (rule.ErrnoRet is not null && !rule.Action.TakesErrno())
            found.Add(Diagnostic.Error(DiagnosticId.ErrnoRetWithoutErrnoAction, $"errnoRet is set but action {SeccompActions.Wire.Name(rule.Action)} returns no errno (runc refuses this)", rule.Origin, field + ".errnoRet"));
        if (rule.Args.Count > MaxArgs)
            found.Add(Diagnostic.Error(DiagnosticId.TooManyArguments, $"{rule.Args.Count} argument conditions; a syscall has at most {MaxArgs} arguments", rule.Origin, field + ".args"));
        for (var a = 0; a < rule.Args.Count; a++)
        {
            if (rule.Args[a].Index >= MaxArgs)
                found.Add(Diagnostic.Error(DiagnosticId.ArgumentIndexOutOfRange, $"argument index {rule.Args[a].Index} is out of range 0..{MaxArgs - 1}", rule.Origin, $"{field}.args[{a}].index"));
        }
        foreach (var dup in rule.Args.GroupBy(x => x.Index).Where(g => g.Count() > 1))
            found.Add(Diagnostic.Warning(DiagnosticId.DuplicateArgumentIndex, $"argument {dup.Key} is compared {dup.Count()} times in one rule; older libseccomp releases refuse this, and all comparisons must hold at once", rule.Origin, field + ".args"));
        if (rule.Args.Count == 0 && !rule.HasDockerFilters && rule.Action == defaultAction && rule.ErrnoRet is null)
            found.Add(Diagnostic.Info(DiagnosticId.RuleSameAsDefault, $"the rule's action {SeccompActions.Wire.Name(rule.Action)} is the default action: it changes nothing", rule.Origin, field + ".action"));
    }

    private static void CheckArchitectures(SeccompProfile p, List<Diagnostic> found)
    {
        foreach (var dup in p.Architectures.GroupBy(a => a).Where(g => g.Count() > 1))
            found.Add(Diagnostic.Warning(DiagnosticId.DuplicateArchitecture, $"{SeccompArchitectures.Wire.Name(dup.Key)} is listed {dup.Count()} times", p.OriginOf("architectures"), "architectures"));
        if (p.Architectures.Count == 0 && p.ArchMap.Count == 0)
        {
            found.Add(Diagnostic.Info(DiagnosticId.NoArchitectures, "no architectures listed: the runtime filters only its native architecture and kills calls made through any other ABI", p.Origin, "architectures"));
            return;
        }
        foreach (var arch in p.Architectures.Distinct())
        {
            var missing = arch.SubArchitectures().Where(s => !p.Architectures.Contains(s)).ToList();
            if (missing.Count > 0)
                found.Add(Diagnostic.Warning(DiagnosticId.MissingSubArchitecture,
                    $"{SeccompArchitectures.Wire.Name(arch)} is listed without {string.Join(", ", missing.Select(SeccompArchitectures.Wire.Name))}: calls made through those ABIs match none of these rules and get the runtime's bad-architecture action instead", p.OriginOf("architectures"), "architectures"));
        }
    }

    private static void CheckListener(SeccompProfile p, List<Diagnostic> found)
    {
        var notifies = p.DefaultAction == SeccompAction.Notify || p.Syscalls.Any(r => r.Action == SeccompAction.Notify);
        if (notifies && p.ListenerPath is null)
            found.Add(Diagnostic.Error(DiagnosticId.NotifyWithoutListener, "SCMP_ACT_NOTIFY is used but listenerPath is not set: runc refuses the profile", p.OriginOf("listenerPath"), "listenerPath"));
        if (!notifies && p.ListenerPath is not null)
            found.Add(Diagnostic.Warning(DiagnosticId.ListenerWithoutNotify, "listenerPath is set but no rule uses SCMP_ACT_NOTIFY", p.OriginOf("listenerPath"), "listenerPath"));
    }

    private static string Describe(RuleKey key) =>
        SeccompActions.Wire.Name(key.Action) + (key.ErrnoRet is { } e ? $" (errno {e})" : "");
}
