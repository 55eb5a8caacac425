using Portcullis.Profiles.Diagnostics;

namespace Portcullis.Profiles.AppArmor;

/// <summary>One rule inside a profile body. <see cref="Deny"/> and <see cref="Audit"/> are the qualifiers every rule kind takes.</summary>
public abstract record AppArmorRule
{
    public bool Deny { get; init; }
    public bool Audit { get; init; }
    public Origin Origin { get; init; }

    /// <summary>The rule in policy syntax, without qualifiers or the trailing comma.</summary>
    public abstract string Body { get; }

    public virtual string Render() => (Audit ? "audit " : "") + (Deny ? "deny " : "") + Body + ",";
}
