using Portcullis.Profiles.Diagnostics;

namespace Portcullis.Profiles.Documents;

/// <summary>
/// A JSON or YAML value with the place it was read from. Both formats parse into this one tree, so the
/// profile readers are written once and every error can name file:line:col. Equality ignores origins.
/// </summary>
public abstract record DocNode(Origin Origin)
{
    public abstract string KindName { get; }
}
