using Portcullis.Profiles.Collections;
using Portcullis.Profiles.Diagnostics;

namespace Portcullis.Profiles.Documents;

/// <summary>A mapping with its keys in document order (keys are unique: the readers refuse duplicates).</summary>
public sealed record DocMap(ValueList<DocEntry> Entries, Origin Origin = default) : DocNode(Origin)
{
    public override string KindName => "object";

    public DocNode? Get(string key)
    {
        foreach (var entry in Entries)
        {
            if (entry.Key == key)
                return entry.Value;
        }
        return null;
    }
}
