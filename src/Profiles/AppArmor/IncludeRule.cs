namespace Portcullis.Profiles.AppArmor;

/// <summary><c>include &lt;abstractions/base&gt;</c> (a search-path include) or <c>include "/abs/path"</c>, optionally <c>if exists</c>.</summary>
public sealed record IncludeRule(string Path, bool SearchPath = true, bool IfExists = false) : AppArmorRule
{
    public override string Body => "include " + (IfExists ? "if exists " : "") + (SearchPath ? $"<{Path}>" : $"\"{Path}\"");

    /// <summary>Includes take no trailing comma.</summary>
    public override string Render() => Body;
}
