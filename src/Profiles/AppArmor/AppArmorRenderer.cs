using System.Text;

namespace Portcullis.Profiles.AppArmor;

/// <summary>Renders profiles as AppArmor policy text, as apparmor_parser reads it.</summary>
public static class AppArmorRenderer
{
    public static string Render(AppArmorProfile profile) => Render([profile]);

    public static string Render(IReadOnlyList<AppArmorProfile> profiles)
    {
        var sb = new StringBuilder();
        var first = profiles.Count > 0 ? profiles[0] : null;
        if (first?.Abi is { } abi)
            sb.Append("abi <").Append(abi).Append(">,\n");
        foreach (var line in first?.Preamble ?? [])
            sb.Append(line).Append('\n');
        foreach (var profile in profiles)
        {
            sb.Append('\n');
            sb.Append("profile ").Append(AppArmorSyntax.QuoteIfNeeded(profile.Name));
            if (profile.Attachment is not null)
                sb.Append(' ').Append(AppArmorSyntax.QuoteIfNeeded(profile.Attachment));
            if (profile.Flags.Count > 0)
                sb.Append(" flags=(").Append(string.Join(", ", profile.Flags)).Append(')');
            sb.Append(" {\n");
            foreach (var rule in profile.Rules)
                sb.Append("  ").Append(rule.Render()).Append('\n');
            sb.Append("}\n");
        }
        return sb.ToString();
    }
}
