using System.Security.Cryptography;
using System.Text;
using k8s.Models;
using Portcullis.Oci;
using Portcullis.Oci.Artifacts;
using Portcullis.Oci.Model;
using Portcullis.Oci.References;
using Portcullis.Oci.Signing;
using Portcullis.Profiles.Diagnostics;
using Portcullis.Profiles.Generation;
using Portcullis.Runtime.Registry;
using Portcullis.Runtime.Resources;

namespace Portcullis.Runtime.Controller;

/// <summary>
/// Makes the cluster resource for a profile a pod needs, from a source already checked against the pod:
/// pulls the artifact by digest from the image's repository with the pod's credentials (so content is
/// addressed, not trusted), checks it names the pod's image manifest as subject, applies the cluster
/// policy, and returns the resource named by the artifact's digest — marked Rejected, with the reason,
/// when the policy says no. Nothing of the name, path or content comes from what a tenant wrote.
/// </summary>
public sealed class ProfileFetcher(RegistryClientPool clients, Hosting.RuntimeOptions options)
{
    public async Task<ProfileResource> FetchAsync(ProfileType type, ArtifactSource from, PullCredentials credentials, ClusterPolicy policy, CancellationToken cancel)
    {
        var name = from.ResourceName;
        var source = new ProfileSource
        {
            Registry = from.Repository.Registry,
            Repository = from.Repository.Repository,
            ImageDigest = from.Subject.ToString(),
            ArtifactDigest = from.Artifact.ToString(),
        };
        ProfileResource Rejected(string why) => Resource(type, name, "", source, ProfilePhase.Rejected, why);

        if (policy.CheckRegistry(from.Repository.Registry) is { } registryProblem)
            return Rejected(registryProblem);
        var client = clients.For(credentials.WithMirrors(options.RegistryMirrors));
        var reach = from.Repository with { Registry = options.Reach(from.Repository.Registry), Digest = null, Tag = null };
        var kind = type == ProfileType.Seccomp ? ProfileKind.Seccomp : ProfileKind.AppArmor;
        var artifact = new Descriptor(MediaTypes.OciManifest, from.Artifact, 0);
        var pulled = await new ProfileArtifacts(client).PullArtifactAsync(reach, kind, artifact, new Descriptor(MediaTypes.OciManifest, from.Subject, 0), cancel).ConfigureAwait(false);
        if (policy.CheckContent(type, name, pulled.Content) is { } contentProblem)
            return Rejected(contentProblem);
        if (policy.RequireSignatures
            && !await new ArtifactSigner(client).VerifyAsync(reach, artifact, from.Subject, policy.Keys, $"{from.Repository.Registry}/{from.Repository.Repository}", cancel).ConfigureAwait(false))
            return Rejected("no signature by a key the cluster policy trusts (requireSignatures)");

        string content;
        try
        {
            content = type == ProfileType.AppArmor
                ? ClusterPolicy.RenameAppArmor(pulled.Content, ProfileNames.AppArmorLocalhost(name))
                : ClusterPolicy.StoredSeccomp(pulled.Content, name);
        }
        catch (ProfileException e)
        {
            return Rejected(e.Diagnostic.Message);
        }
        var resource = Resource(type, name, content, source, ProfilePhase.Pending, null);
        if (type == ProfileType.Seccomp
            && ContainerRuntimePart.Parse(pulled.Annotations.GetValueOrDefault(ProfileArtifactFormat.ContainerRuntimeNames)) is { Count: > 0 } runtimeOnly)
            resource.Spec.ContainerRuntimeNames = [.. runtimeOnly];
        return resource;
    }

    public static ProfileResource Resource(BoundProfile bound, string content, ProfileSource? source, string phase, string? message) =>
        Resource(bound.Type, bound.ResourceName, content, source, phase, message);

    /// <summary>The resource named <paramref name="name"/>, with the localhost path that name gives.</summary>
    public static ProfileResource Resource(ProfileType type, string name, string content, ProfileSource? source, string phase, string? message)
    {
        ProfileResource resource = type == ProfileType.Seccomp ? new SeccompProfileResource() : new AppArmorProfileResource();
        resource.Metadata = new V1ObjectMeta { Name = name };
        resource.Spec = new ProfileSpec
        {
            Content = content,
            ContentDigest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content))),
            LocalhostProfile = type == ProfileType.Seccomp ? ProfileNames.SeccompLocalhost(name) : ProfileNames.AppArmorLocalhost(name),
            Source = source,
        };
        resource.Status = new ProfileStatus { Phase = phase, Message = message };
        return resource;
    }
}
