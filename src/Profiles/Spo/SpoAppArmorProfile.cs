using Portcullis.Profiles.Collections;
using Portcullis.Profiles.Documents;

namespace Portcullis.Profiles.Spo;

/// <summary>An SPO <c>AppArmorProfile</c>: envelope, abstract form, enforcement mode and state.</summary>
public sealed record SpoAppArmorProfile(SpoMetadata Meta, AppArmorAbstract Abstract, string? Mode, string? State, ValueList<DocEntry> SpecExtra)
{
    public bool Complain => Mode == "Complain";
}
