using Portcullis.Profiles.Collections;

namespace Portcullis.Profiles.AppArmor;

/// <summary><c>ptrace [(ACCESS)] [peer=LABEL]</c> with access among read, trace, readby, tracedby.</summary>
public sealed record PtraceRule(ValueList<string> Access, string? Peer) : AppArmorRule
{
    public override string Body => AppArmorSyntax.Join(
        "ptrace",
        AppArmorSyntax.Group(Access),
        Peer is null ? null : "peer=" + AppArmorSyntax.QuoteIfNeeded(Peer));
}
