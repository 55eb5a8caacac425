using Portcullis.Oci.References;
using Portcullis.Runtime.Resources;

namespace Portcullis.Runtime.Registry;

/// <summary>A profile artifact found for an image manifest, with its checked content.</summary>
public sealed record FoundProfile(ProfileType Type, ImageReference Repository, Digest Artifact, Digest Subject, byte[] Content)
{
    /// <summary>The cluster-scoped resource name: content-addressed by the artifact digest.</summary>
    public string ResourceName => ProfileNames.ForArtifact(Artifact);

    /// <summary>What CRI-O's annotation and the controller pull: repository@artifact-digest.</summary>
    public string ArtifactReference => $"{Repository.Registry}/{Repository.Repository}@{Artifact}";
}
