namespace Portcullis.Profiles.AppArmor;

/// <summary>
/// A rule kind Portcullis does not model (mount, dbus, pivot_root, rlimit, ...), or a nested block such as a
/// hat or child profile, kept verbatim so nothing is lost. Blocks end with '}' and take no comma.
/// </summary>
public sealed record RawRule(string Text, bool IsBlock = false) : AppArmorRule
{
    public override string Body => Text;

    public override string Render() => IsBlock ? Text : base.Render();
}
