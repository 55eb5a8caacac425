using Portcullis.Oci.References;
using Portcullis.Runtime.Resources;

namespace Portcullis.Runtime.Controller;

/// <summary>
/// Where an image-borne profile is fetched from, once checked against a pod: the repository the container's
/// image comes from, the artifact (whose digest is the profile's name) and the manifest the container runs.
/// </summary>
public sealed record ArtifactSource(ImageReference Repository, Digest Artifact, Digest Subject)
{
    public string ResourceName => ProfileNames.ForArtifact(Artifact);

    /// <summary>True when <paramref name="profile"/> was made from this artifact for this image: only then may it stand for it.</summary>
    public bool Made(ProfileResource profile) =>
        profile.Spec.Source is { } s && s.ArtifactDigest == Artifact.ToString() && s.ImageDigest == Subject.ToString();

    public override string ToString() => $"{Repository.Registry}/{Repository.Repository}@{Artifact}";
}
