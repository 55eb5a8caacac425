using System.Text.RegularExpressions;

namespace Portcullis.Runtime.Webhook;

/// <summary>ProfileBinding image patterns: `*` matches within one path segment, `**` across segments; everything else literally.</summary>
public static class ImagePattern
{
    public static bool Matches(string pattern, string image)
    {
        var regex = "^" + Regex.Escape(pattern).Replace(@"\*\*", ".*", StringComparison.Ordinal).Replace(@"\*", "[^/]*", StringComparison.Ordinal) + "$";
        return Regex.IsMatch(image, regex, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(50));
    }
}
