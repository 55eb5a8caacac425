namespace Portcullis.Profiles.AppArmor;

/// <summary>A file rule: <c>[owner] PATH PERMS [-&gt; TARGET]</c>. Path is an AppArmor glob (*, **, ?, {a,b}, [..], @{var}).</summary>
public sealed record FileRule(string Path, FilePermissions Permissions, string? ExecTarget = null) : AppArmorRule
{
    public bool Owner { get; init; }

    public override string Body =>
        (Owner ? "owner " : "") + AppArmorSyntax.QuoteIfNeeded(Path) + " " + Permissions + (ExecTarget is null ? "" : " -> " + AppArmorSyntax.QuoteIfNeeded(ExecTarget));
}
