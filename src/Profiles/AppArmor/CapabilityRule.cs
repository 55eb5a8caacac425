using Portcullis.Profiles.Collections;

namespace Portcullis.Profiles.AppArmor;

/// <summary><c>capability [NAME ...]</c>, names lower case without CAP_; no names means every capability.</summary>
public sealed record CapabilityRule(ValueList<string> Capabilities) : AppArmorRule
{
    public override string Body => Capabilities.Count == 0 ? "capability" : "capability " + string.Join(' ', Capabilities);
}
