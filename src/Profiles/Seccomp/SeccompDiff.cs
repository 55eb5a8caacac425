namespace Portcullis.Profiles.Seccomp;

/// <summary>
/// Compares two profiles architecture by architecture, as each architecture's filter would behave: a
/// syscall is added when the new profile has rules for it and the old left it to the default, removed in
/// the reverse case, changed when both have rules that differ. Docker filters must be resolved first.
/// </summary>
public static class SeccompDiff
{
    public static SeccompDiffResult Compare(SeccompProfile before, SeccompProfile after)
    {
        var archBefore = EffectiveView.ArchitecturesOf(before);
        var archAfter = EffectiveView.ArchitecturesOf(after);
        var common = archBefore.Where(archAfter.Contains).ToList();

        var perArch = new List<ArchitectureDiff>();
        foreach (var arch in common)
        {
            var a = EffectiveView.Of(before, arch);
            var b = EffectiveView.Of(after, arch);
            var changes = new List<SyscallChange>();
            foreach (var name in a.Rules.Keys.Union(b.Rules.Keys).Order(StringComparer.Ordinal))
            {
                var ta = a.For(name);
                var tb = b.For(name);
                if (ta.Equals(tb))
                    continue;
                var kind = ta.UsesDefault ? ChangeKind.Added : tb.UsesDefault ? ChangeKind.Removed : ChangeKind.Changed;
                changes.Add(new SyscallChange(name, kind, ta.Describe(before.DefaultAction), tb.Describe(after.DefaultAction)));
            }
            perArch.Add(new ArchitectureDiff(arch, changes));
        }

        return new SeccompDiffResult(
            before.DefaultAction,
            after.DefaultAction,
            archAfter.Except(archBefore).ToList(),
            archBefore.Except(archAfter).ToList(),
            perArch);
    }
}
