using System.Text;
using System.Text.RegularExpressions;
using Portcullis.Profiles.Diagnostics;
using Portcullis.Profiles.Documents;
using Portcullis.Profiles.Seccomp;
using Portcullis.Profiles.Spo;

namespace Portcullis.Cli.Commands;

internal static partial class ProfileRendering
{
    public static string OciJson(SeccompProfile profile) =>
        Encoding.UTF8.GetString(DocJsonWriter.Write(SeccompWriter.ToDoc(profile)));

    public static string SpoYaml(IEnumerable<SpoSeccompProfile> resources, DiagnosticBag diagnostics) =>
        DocYamlWriter.Write(resources.Select(r => (DocNode)SpoWriter.ToDoc(r, diagnostics)));

    /// <summary>A Kubernetes object name (DNS-1123 subdomain) derived from a file or profile name.</summary>
    public static string ResourceName(string text)
    {
        var name = NotDns().Replace(text.ToLowerInvariant(), "-").Trim('-', '.');
        return name.Length == 0 ? "profile" : name.Length > 253 ? name[..253] : name;
    }

    [GeneratedRegex("[^a-z0-9.-]+")]
    private static partial Regex NotDns();
}
