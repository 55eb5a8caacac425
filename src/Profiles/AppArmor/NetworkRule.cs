namespace Portcullis.Profiles.AppArmor;

/// <summary><c>network [FAMILY] [TYPE|PROTOCOL]</c>; both empty means all networking.</summary>
public sealed record NetworkRule(string? Family, string? Type) : AppArmorRule
{
    public override string Body => string.Join(' ', new[] { "network", Family, Type }.Where(p => p is not null));
}
