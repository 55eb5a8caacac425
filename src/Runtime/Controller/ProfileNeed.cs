using Portcullis.Runtime.Resources;

namespace Portcullis.Runtime.Controller;

/// <summary>
/// A profile a pod's container will load, by the name its spec gives the kubelet, and where it can be
/// fetched from when the pod's binding for it checked out (null: a resource a person made, or nothing
/// trustworthy to fetch).
/// </summary>
public sealed record ProfileNeed(ProfileType Type, string Name, ArtifactSource? Source)
{
    public (ProfileType, string) Key => (Type, Name);

    /// <summary>
    /// Whether <paramref name="profile"/> (named <see cref="Name"/>) may stand for this need: made from the
    /// verified artifact; or, without one, consistent with its own name (a person made it, or it came from
    /// the artifact its name is the digest of).
    /// </summary>
    public bool IsMetBy(ProfileResource profile) =>
        Source is { } source ? source.Made(profile) : PodProfileNeeds.IsConsistent(profile);
}
