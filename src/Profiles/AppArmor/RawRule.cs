namespace Portcullis.Profiles.AppArmor;

/// <summary>A rule kind Portcullis does not model (mount, dbus, pivot_root, rlimit, ...), kept verbatim so nothing is lost.</summary>
public sealed record RawRule(string Text) : AppArmorRule
{
    public override string Body => Text;
}
