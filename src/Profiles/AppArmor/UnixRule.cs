using Portcullis.Profiles.Collections;

namespace Portcullis.Profiles.AppArmor;

/// <summary><c>unix [(ACCESS)] [type=TYPE] [addr=ADDR] [peer=(label=LABEL)]</c>: the basics of Unix-socket mediation.</summary>
public sealed record UnixRule(ValueList<string> Access, string? Type, string? Address, string? PeerLabel) : AppArmorRule
{
    public override string Body => AppArmorSyntax.Join(
        "unix",
        AppArmorSyntax.Group(Access),
        Type is null ? null : "type=" + Type,
        Address is null ? null : "addr=" + AppArmorSyntax.QuoteIfNeeded(Address),
        PeerLabel is null ? null : "peer=(label=" + AppArmorSyntax.QuoteIfNeeded(PeerLabel) + ")");
}
