using Portcullis.Profiles.Collections;

namespace Portcullis.Profiles.AppArmor;

/// <summary><c>signal [(ACCESS)] [set=(SIGNALS)] [peer=LABEL]</c>.</summary>
public sealed record SignalRule(ValueList<string> Access, ValueList<string> Signals, string? Peer) : AppArmorRule
{
    public override string Body => AppArmorSyntax.Join(
        "signal",
        AppArmorSyntax.Group(Access),
        Signals.Count == 0 ? null : "set=" + AppArmorSyntax.Group(Signals),
        Peer is null ? null : "peer=" + AppArmorSyntax.QuoteIfNeeded(Peer));
}
