using System.Text.RegularExpressions;
using Portcullis.Profiles.Collections;

namespace Portcullis.Profiles.AppArmor;

/// <summary>Lexical helpers shared by the renderer and the parser.</summary>
public static partial class AppArmorSyntax
{
    public static string QuoteIfNeeded(string text) =>
        NeedsQuotes().IsMatch(text) ? "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"" : text;

    public static string? Group(ValueList<string> items) =>
        items.Count == 0 ? null : items.Count == 1 ? items[0] : "(" + string.Join(", ", items) + ")";

    public static string Join(params string?[] parts) => string.Join(' ', parts.Where(p => p is not null));

    [GeneratedRegex(@"[\s,#""()=]|^$")]
    private static partial Regex NeedsQuotes();
}
