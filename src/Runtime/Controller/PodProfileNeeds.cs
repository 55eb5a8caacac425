using k8s.Models;
using Portcullis.Oci;
using Portcullis.Oci.References;
using Portcullis.Runtime.Kubernetes;
using Portcullis.Runtime.Resources;

namespace Portcullis.Runtime.Controller;

/// <summary>
/// What a bound pod needs before its gate may lift, derived from its spec: the Portcullis localhost
/// profiles its containers will load, which the API server does not let anyone change after the pod is
/// created. The bindings annotation, which the pod's owner can rewrite at any time, only suggests where an
/// image's profile can be fetched, and the suggestion counts only when it checks out against the spec: the
/// profile's name is the artifact's digest, the artifact is in the repository the container's image comes
/// from, and its subject is the digest the container runs (the webhook pinned it; the fetch checks the
/// artifact names that subject).
/// </summary>
public static class PodProfileNeeds
{
    public static (IReadOnlyList<ProfileNeed> Needs, IReadOnlyList<string> Problems) Of(V1Pod pod)
    {
        var bindings = BindingRecord.Read(pod.Metadata.Annotations);
        var needs = new List<ProfileNeed>();
        var problems = new List<string>();
        foreach (var container in (pod.Spec.InitContainers ?? []).Concat(pod.Spec.Containers ?? []))
        {
            var binding = bindings.FirstOrDefault(b => b?.Container == container.Name);
            var seccomp = container.SecurityContext?.SeccompProfile ?? pod.Spec.SecurityContext?.SeccompProfile;
            if (seccomp is { Type: "Localhost", LocalhostProfile: { } path } && ProfileNames.SeccompResourceOf(path) is { } seccompName)
                needs.Add(Need(ProfileType.Seccomp, seccompName, container, binding?.Seccomp, problems));
            var appArmor = container.SecurityContext?.AppArmorProfile ?? pod.Spec.SecurityContext?.AppArmorProfile;
            if (appArmor is { Type: "Localhost", LocalhostProfile: { } name } && name.StartsWith(ProfileNames.AppArmorLocalhost(""), StringComparison.Ordinal))
                needs.Add(Need(ProfileType.AppArmor, name[ProfileNames.AppArmorLocalhost("").Length..], container, binding?.AppArmor, problems));
        }
        return (needs.Distinct().ToList(), problems);
    }

    /// <summary>An image-borne profile is consistent when its name is the digest of the artifact it came from; one a person made always is.</summary>
    public static bool IsConsistent(ProfileResource profile) =>
        profile.Spec.Source is not { } source
        || Digest.TryParse(source.ArtifactDigest, out var artifact) && ProfileNames.ForArtifact(artifact) == profile.Metadata.Name;

    private static ProfileNeed Need(ProfileType type, string name, V1Container container, BoundProfile? bound, List<string> problems)
    {
        if (bound?.Artifact is null || bound.Type != type)
            return new ProfileNeed(type, name, null);
        var what = $"container {container.Name}: {type} profile {name}";
        try
        {
            var artifact = ImageReference.Parse(bound.Artifact);
            var image = ImageReference.Parse(container.Image ?? "");
            if (artifact.Digest is null || ProfileNames.ForArtifact(artifact.Digest) != name)
                problems.Add($"{what}: the bindings annotation names artifact {bound.Artifact}, which is not the artifact that name stands for");
            else if (image.Digest is null)
                problems.Add($"{what}: the container runs {container.Image}, not pinned to a digest, so the artifact cannot be checked against it");
            else if (bound.Subject != image.Digest.ToString())
                problems.Add($"{what}: the bindings annotation names subject {bound.Subject}, not the image manifest the container runs ({image.Digest})");
            else if (artifact.Registry != image.Registry || artifact.Repository != image.Repository)
                problems.Add($"{what}: the bindings annotation names artifact {bound.Artifact}, outside the repository of the container's image {image.Registry}/{image.Repository}");
            else
                return new ProfileNeed(type, name, new ArtifactSource(image with { Tag = null, Digest = null }, artifact.Digest, image.Digest));
        }
        catch (OciException e)
        {
            problems.Add($"{what}: {e.Message}");
        }
        return new ProfileNeed(type, name, null);
    }
}
