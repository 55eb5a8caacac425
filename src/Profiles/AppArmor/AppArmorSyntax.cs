using System.Text.RegularExpressions;
using Portcullis.Profiles.Collections;

namespace Portcullis.Profiles.AppArmor;

/// <summary>Lexical helpers shared by the renderer and the parser.</summary>
public static partial class AppArmorSyntax
{
    public static string QuoteIfNeeded(string text) =>
        NeedsQuotes().IsMatch(text) || HasCommaOutsideBraces(text)
            ? "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\""
            : text;

    private static bool HasCommaOutsideBraces(string text)
    {
        var depth = 0;
        foreach (var c in text)
        {
            if (c == '{') depth++;
            else if (c == '}') depth = Math.Max(0, depth - 1);
            else if (c == ',' && depth == 0) return true;
        }
        return false;
    }

    public static string? Group(ValueList<string> items) =>
        items.Count == 0 ? null : items.Count == 1 ? items[0] : "(" + string.Join(", ", items) + ")";

    public static string Join(params string?[] parts) => string.Join(' ', parts.Where(p => p is not null));

    [GeneratedRegex(@"[\s#""()=]|^$")]
    private static partial Regex NeedsQuotes();
}
