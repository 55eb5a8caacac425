using System.Text;
using Portcullis.Profiles.Diagnostics;
using Portcullis.Profiles.Documents;
using Portcullis.Profiles.Seccomp;
using Portcullis.Profiles.Spo;

namespace Portcullis.Cli.Commands;

internal static class ProfileRendering
{
    public static string OciJson(SeccompProfile profile) =>
        Encoding.UTF8.GetString(DocJsonWriter.Write(SeccompWriter.ToDoc(profile)));

    public static string SpoYaml(IEnumerable<SpoSeccompProfile> resources, DiagnosticBag diagnostics) =>
        DocYamlWriter.Write(resources.Select(r => (DocNode)SpoWriter.ToDoc(r, diagnostics)));
}
