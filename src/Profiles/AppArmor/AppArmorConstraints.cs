using Portcullis.Profiles.Diagnostics;

namespace Portcullis.Profiles.AppArmor;

/// <summary>
/// What a cluster forbids AppArmor profiles to allow: capabilities (AppArmor's names, e.g. sys_admin) and
/// network families or socket types (e.g. raw, packet, netlink). A rule allows an item when it is not a deny rule
/// and names it or names nothing narrower: <c>capability,</c> allows every capability, <c>network inet,</c>
/// every inet type, raw included. A deny rule never counts as allowing, and is not subtracted either: the
/// judgement is on allow rules alone, so it cannot depend on how the kernel orders allow and deny.
/// Only the profile's own rules are judged; the node's &lt;abstractions/…&gt; it includes are the node's.
/// </summary>
public sealed record AppArmorConstraints(IReadOnlySet<string> ForbiddenCapabilities, IReadOnlySet<string> ForbiddenNetwork)
{
    public static AppArmorConstraints None { get; } = new(new HashSet<string>(), new HashSet<string>());

    /// <summary>The first allow rule that breaks a constraint, as a PCL3013 error at its line; null when none does.</summary>
    public Diagnostic? Check(AppArmorProfile profile)
    {
        foreach (var rule in profile.Rules.Where(r => !r.Deny))
        {
            var broken = rule switch
            {
                CapabilityRule c => ForbiddenCapabilities.Where(f => c.Capabilities.Count == 0 || c.Capabilities.Contains(f)),
                NetworkRule n => ForbiddenNetwork.Where(f => Allows(n, f)),
                _ => [],
            };
            if (broken.Order(StringComparer.Ordinal).ToList() is { Count: > 0 } names)
                return Diagnostic.Error(DiagnosticId.AppArmorForbiddenByPolicy, $"'{rule.Render()}' allows {string.Join(", ", names)}, which the cluster policy forbids", rule.Origin);
        }
        return null;
    }

    // "packet" is both a family and a socket type.
    private static bool Allows(NetworkRule rule, string item) =>
        (AppArmorValidator.IsFamily(item) && (rule.Family is null || rule.Family == item))
        || (AppArmorValidator.IsSocketType(item) && (rule.Type is null || rule.Type == item));
}
