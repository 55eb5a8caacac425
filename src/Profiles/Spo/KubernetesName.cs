using System.Text.RegularExpressions;

namespace Portcullis.Profiles.Spo;

/// <summary>Turns a file or profile name (which may be a path) into a valid object name (DNS-1123 subdomain).</summary>
public static partial class KubernetesName
{
    public static string From(string text)
    {
        var name = NotAllowed().Replace(text.ToLowerInvariant(), "-").Trim('-', '.');
        return name.Length == 0 ? "profile" : name.Length > 253 ? name[..253].TrimEnd('-', '.') : name;
    }

    [GeneratedRegex("[^a-z0-9.-]+")]
    private static partial Regex NotAllowed();
}
