using Portcullis.Profiles.Collections;
using Portcullis.Profiles.Diagnostics;

namespace Portcullis.Profiles.Documents;

public sealed record DocList(ValueList<DocNode> Items, Origin Origin = default) : DocNode(Origin)
{
    public override string KindName => "array";
}
