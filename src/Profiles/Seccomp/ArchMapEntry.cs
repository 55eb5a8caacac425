using Portcullis.Profiles.Collections;

namespace Portcullis.Profiles.Seccomp;

/// <summary>Docker's "archMap" entry: when running on <see cref="Architecture"/>, also filter these compat ABIs.</summary>
public sealed record ArchMapEntry(SeccompArch Architecture, ValueList<SeccompArch> SubArchitectures);
