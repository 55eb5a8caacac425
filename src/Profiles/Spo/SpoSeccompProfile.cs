using Portcullis.Profiles.Collections;
using Portcullis.Profiles.Documents;
using Portcullis.Profiles.Seccomp;

namespace Portcullis.Profiles.Spo;

/// <summary>An SPO <c>SeccompProfile</c>: its envelope, the seccomp spec, and the SPO-only spec fields.</summary>
public sealed record SpoSeccompProfile(SpoMetadata Meta, SeccompProfile Spec, string? BaseProfileName, string? State, ValueList<DocEntry> SpecExtra);
