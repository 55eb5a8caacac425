using Portcullis.Profiles.Diagnostics;

namespace Portcullis.Profiles.Documents;

public sealed record DocEntry(string Key, DocNode Value, Origin KeyOrigin = default);
