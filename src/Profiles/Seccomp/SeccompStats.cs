namespace Portcullis.Profiles.Seccomp;

/// <summary>
/// How many syscalls a profile lets run on each of its architectures, next to a reference (Docker's
/// default profile resolved for the same architecture with Docker's default capabilities). "Allowed" counts
/// syscalls that run whatever their arguments (ALLOW or LOG, by rule or by default); "conditional" those
/// allowed only for some arguments.
/// </summary>
public static class SeccompStats
{
    /// <param name="profile">the profile as enforced on an architecture.</param>
    /// <param name="reference">the reference as enforced on an architecture.</param>
    /// <param name="architectures">the architectures to report.</param>
    public static IReadOnlyList<StatsRow> Compute(Func<SeccompArch, SeccompProfile> profile, Func<SeccompArch, SeccompProfile> reference, IEnumerable<SeccompArch> architectures)
    {
        var rows = new List<StatsRow>();
        foreach (var arch in architectures)
        {
            var view = EffectiveView.Of(profile(arch), arch);
            var refView = EffectiveView.Of(reference(arch), arch);
            rows.Add(new StatsRow(
                arch,
                view.Allowed().Count(),
                view.ConditionallyAllowed().Count(),
                Syscalls.SyscallTable.NamesOn(arch).Count(),
                refView.Allowed().Count(),
                refView.ConditionallyAllowed().Count()));
        }
        return rows;
    }
}
