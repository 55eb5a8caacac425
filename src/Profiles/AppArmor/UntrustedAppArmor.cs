using System.Text.RegularExpressions;
using Portcullis.Profiles.Diagnostics;

namespace Portcullis.Profiles.AppArmor;

/// <summary>
/// AppArmor policy from a source the node must not trust (an image's artifact), accepted only as far as the
/// model holds it: nodes load what <see cref="Render"/> makes of the model, never the text that came in.
/// apparmor_parser runs as root on the host and a loaded profile is host-wide, so refused, each with its line:
/// an attachment (it would confine or re-confine host programs), flags beyond the path-handling ones (no mode:
/// the node enforces what was judged), includes other than &lt;abstractions/…&gt; and &lt;tunables/…&gt; (a
/// quoted path makes the parser read any host file or device), variable definitions (variables come from the
/// node's tunables), hats, nested profiles and every rule kind the model does not hold (change_profile,
/// change_hat, pivot_root, mount, dbus, ...), and exec modes that leave the profile (everything but ix).
/// </summary>
public static partial class UntrustedAppArmor
{
    /// <summary>How paths are resolved (disconnected and deleted files, chroots); none relaxes what is enforced.</summary>
    public static readonly IReadOnlySet<string> AllowedFlags = new HashSet<string>(StringComparer.Ordinal)
    {
        "attach_disconnected", "no_attach_disconnected", "mediate_deleted", "delegate_deleted", "chroot_relative", "namespace_relative",
    };

    /// <summary>Reads one profile; throws a PCL3007–PCL3012 (or syntax) <see cref="ProfileException"/> at the offending line.</summary>
    public static AppArmorProfile Read(string text, string file)
    {
        var profiles = AppArmorParser.Parse(text, file, untrusted: true);
        if (profiles.Count > 1)
            throw ProfileException.At(DiagnosticId.AppArmorRuleNotAllowed, $"a second profile '{profiles[1].Name}': an image's AppArmor artifact holds one profile", profiles[1].Origin);
        var profile = profiles[0];
        if (profile.Attachment is { } attachment)
            throw ProfileException.At(DiagnosticId.AppArmorAttachment, $"the attachment '{attachment}' would confine host programs it matches; pods are bound to a profile by name", profile.Origin);
        if (profile.Flags.FirstOrDefault(f => !AllowedFlags.Contains(f)) is { } flag)
            throw ProfileException.At(DiagnosticId.AppArmorFlagNotAllowed, $"flag '{flag}' is not allowed in an image's profile (allowed: {string.Join(", ", AllowedFlags.Order(StringComparer.Ordinal))})", profile.Origin);
        foreach (var rule in profile.Rules)
            Check(rule);
        if (AppArmorValidator.Validate(profile).FirstOrDefault(d => d.Severity == Severity.Error) is { } invalid)
            throw new ProfileException(invalid);

        var canonical = profile with { Preamble = profile.Preamble.Contains(GlobalTunables) ? profile.Preamble : [GlobalTunables, .. profile.Preamble] };
        // What the lexer read from odd text must read back the same once rendered, or the node would load something else.
        var again = AppArmorParser.Parse(AppArmorRenderer.Render(canonical), file);
        if (again.Count != 1 || again[0] != canonical)
            throw ProfileException.At(DiagnosticId.AppArmorRuleNotAllowed, "the profile does not read back the same once rendered (unusual quoting or characters)", profile.Origin);
        return canonical;
    }

    /// <summary>The policy text a node loads: the model under the name pods are bound to.</summary>
    public static string Render(AppArmorProfile profile, string name) => AppArmorRenderer.Render(profile with { Name = name });

    private const string GlobalTunables = "include <tunables/global>";

    private static void Check(AppArmorRule rule)
    {
        switch (rule)
        {
            case RawRule { IsBlock: true } block:
                throw ProfileException.At(DiagnosticId.AppArmorRuleNotAllowed, $"'{FirstLine(block.Text)}': hats and nested profiles are not allowed in an image's profile", block.Origin);
            case RawRule raw:
                throw ProfileException.At(DiagnosticId.AppArmorRuleNotAllowed, $"'{FirstLine(raw.Text)}': only file, capability, network, signal, ptrace and unix rules and <abstractions/...> includes are allowed in an image's profile", raw.Origin);
            case IncludeRule include when !include.SearchPath || !IncludePath().IsMatch(include.Path) || !include.Path.StartsWith("abstractions/", StringComparison.Ordinal):
                throw IncludeRefused(include, "abstractions");
            case FileRule { ExecTarget: { } target } f:
                throw ProfileException.At(DiagnosticId.AppArmorExecLeavesProfile, $"'{f.Render()}': an exec transition to '{target}' leaves this profile", f.Origin);
            case FileRule { Permissions.Exec: { } exec } f when exec != "ix" && !(f.Deny && exec == "x"):
                throw ProfileException.At(DiagnosticId.AppArmorExecLeavesProfile, $"'{f.Render()}': exec mode '{exec}' runs the program outside this profile (unconfined or under a profile the node picks); an image's profile may use only ix", f.Origin);
            case FileRule f when f.Path.Any(c => char.IsControl(c) || c == '"'):
                throw ProfileException.At(DiagnosticId.AppArmorInvalidPath, "a file rule's path holds a control character or a quote", f.Origin);
            case SignalRule s when !Words(s.Access.Concat(s.Signals).Append(s.Peer)):
            case PtraceRule p when !Words(p.Access.Append(p.Peer)):
            case UnixRule u when !Words(u.Access.Append(u.Type).Append(u.Address).Append(u.PeerLabel)):
                throw ProfileException.At(DiagnosticId.AppArmorRuleNotAllowed, $"'{rule.Render()}' holds characters a rule's words do not", rule.Origin);
        }
    }

    internal static void CheckPreambleInclude(IncludeRule include)
    {
        if (!include.SearchPath || !IncludePath().IsMatch(include.Path) || !include.Path.StartsWith("tunables/", StringComparison.Ordinal))
            throw IncludeRefused(include, "tunables");
    }

    internal static bool IsAbi(string word) => AbiWord().IsMatch(word);

    private static ProfileException IncludeRefused(IncludeRule include, string where) =>
        ProfileException.At(DiagnosticId.AppArmorIncludeNotAllowed, $"'{include.Body}': an image's profile may include only <{where}/...> here; the node's apparmor_parser would read any other file as root", include.Origin);

    private static bool Words(IEnumerable<string?> words) => words.All(w => w is null || RuleWord().IsMatch(w));

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();

    // Directories and names below the node's /etc/apparmor.d search path: no "..", no absolute path, no glob.
    [GeneratedRegex(@"\A(abstractions|tunables)(/[A-Za-z0-9_][A-Za-z0-9_.+\-]*)+\z")]
    private static partial Regex IncludePath();

    [GeneratedRegex(@"\A<abi/[0-9]+\.[0-9]+>\z")]
    private static partial Regex AbiWord();

    [GeneratedRegex(@"\A[A-Za-z0-9_@{}+\-.*?/\[\]^=:]+\z")]
    private static partial Regex RuleWord();
}
