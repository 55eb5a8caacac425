using Portcullis.Profiles.Collections;
using Portcullis.Profiles.Syscalls;

namespace Portcullis.Profiles.Seccomp;

/// <summary>
/// A profile as one architecture's filter sees it: for each syscall that exists on that architecture and
/// that some rule names, its rules. Names a rule lists that the architecture lacks are ignored, as
/// libseccomp ignores them. Expects a profile without Docker filters (resolve first).
/// </summary>
public sealed class EffectiveView
{
    private EffectiveView(SeccompArch arch, SeccompAction defaultAction, SortedDictionary<string, SyscallTreatment> rules)
    {
        Architecture = arch;
        DefaultAction = defaultAction;
        Rules = rules;
    }

    public SeccompArch Architecture { get; }
    public SeccompAction DefaultAction { get; }
    public SortedDictionary<string, SyscallTreatment> Rules { get; }

    public static EffectiveView Of(SeccompProfile profile, SeccompArch arch)
    {
        var byName = new Dictionary<string, List<RuleKey>>(StringComparer.Ordinal);
        foreach (var rule in profile.Syscalls)
        {
            var key = RuleKey.Of(rule) with { Comment = null, Extra = [] };
            foreach (var name in rule.Names.Where(n => SyscallTable.ExistsOn(n, arch)))
            {
                if (!byName.TryGetValue(name, out var list))
                    byName[name] = list = [];
                if (!list.Contains(key))
                    list.Add(key);
            }
        }
        var rules = new SortedDictionary<string, SyscallTreatment>(StringComparer.Ordinal);
        foreach (var (name, keys) in byName)
        {
            rules[name] = new SyscallTreatment(keys
                .OrderBy(k => k.Args.Count)
                .ThenBy(k => string.Join(",", k.Args), StringComparer.Ordinal)
                .ThenBy(k => k.Action)
                .ToValueList());
        }
        return new EffectiveView(arch, profile.DefaultAction, rules);
    }

    public SyscallTreatment For(string name) => Rules.TryGetValue(name, out var t) ? t : new SyscallTreatment([]);

    /// <summary>The syscalls of this architecture that run unconditionally (allow or log), including by default.</summary>
    public IEnumerable<string> Allowed() => SyscallTable.NamesOn(Architecture).Where(n =>
        (For(n).UsesDefault ? DefaultAction : For(n).Unconditional)?.LetsSyscallRun() == true);

    /// <summary>The syscalls allowed only when their argument conditions hold.</summary>
    public IEnumerable<string> ConditionallyAllowed() => Rules
        .Where(r => r.Value.Unconditional is null && r.Value.Rules.Any(k => k.Args.Count > 0 && k.Action.LetsSyscallRun()))
        .Select(r => r.Key);

    /// <summary>The architectures a profile's filter covers; a profile listing none covers the host's native one.</summary>
    public static IReadOnlyList<SeccompArch> ArchitecturesOf(SeccompProfile profile)
    {
        var listed = profile.EffectiveArchitectures().Where(a => a != SeccompArch.Native).Distinct().ToList();
        return listed.Count > 0 ? listed : [SeccompArchitectures.Host];
    }
}
