using Portcullis.Profiles.Collections;
using Portcullis.Profiles.Diagnostics;
using Portcullis.Profiles.Documents;

namespace Portcullis.Profiles.Spo;

/// <summary>
/// The Kubernetes envelope of an SPO custom resource: apiVersion, kind, metadata (kept whole for round
/// trips), and any other top-level fields such as status (kept, not interpreted).
/// </summary>
public sealed record SpoMetadata(string ApiVersion, string Kind, string Name, string? Namespace, DocMap Metadata, ValueList<DocEntry> Extra, Origin Origin = default)
{
    public static SpoMetadata New(string kind, string name, string version = "v1") =>
        new(SpoGroup.ApiVersion(version), kind, name, null, new DocMap([new DocEntry("name", DocScalar.String(name))]), []);

    /// <summary>The same envelope under another name; labels, annotations and the rest of metadata stay.</summary>
    public SpoMetadata Renamed(string name) => this with
    {
        Name = name,
        Metadata = Metadata with { Entries = Metadata.Entries.Select(e => e.Key == "name" ? e with { Value = DocScalar.String(name) } : e).ToValueList() },
    };
}
