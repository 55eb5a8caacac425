using System.Security.Cryptography;
using System.Text;
using k8s.Models;
using Portcullis.Oci;
using Portcullis.Oci.Artifacts;
using Portcullis.Oci.Model;
using Portcullis.Oci.References;
using Portcullis.Oci.Signing;
using Portcullis.Profiles.Diagnostics;
using Portcullis.Runtime.Registry;
using Portcullis.Runtime.Resources;

namespace Portcullis.Runtime.Controller;

/// <summary>
/// Makes the cluster resource for a profile a pod was bound to: pulls the artifact by digest with the pod's
/// credentials (so content is addressed, not trusted), checks it names the pod's image as subject, applies
/// the cluster policy, and returns the resource — marked Rejected, with the reason, when the policy says no.
/// </summary>
public sealed class ProfileFetcher(RegistryClientPool clients, Hosting.RuntimeOptions options)
{
    public async Task<ProfileResource> FetchAsync(BoundProfile bound, PullCredentials credentials, ClusterPolicy policy, CancellationToken cancel)
    {
        var artifactRef = ImageReference.Parse(bound.Artifact ?? throw new InvalidOperationException("only image-borne profiles are fetched"));
        var subject = Digest.Parse(bound.Subject ?? throw new InvalidOperationException("the binding names no subject"));
        var artifactDigest = artifactRef.Digest ?? throw new OciException($"{bound.Artifact} is not pinned to a digest");
        var source = new ProfileSource
        {
            Registry = artifactRef.Registry,
            Repository = artifactRef.Repository,
            ImageDigest = subject.ToString(),
            ArtifactDigest = artifactDigest.ToString(),
        };
        ProfileResource Rejected(string why) => Resource(bound, "", source, ProfilePhase.Rejected, why);

        if (policy.CheckRegistry(artifactRef.Registry) is { } registryProblem)
            return Rejected(registryProblem);
        var client = clients.For(credentials.WithMirrors(options.RegistryMirrors));
        var reach = artifactRef with { Registry = options.Reach(artifactRef.Registry), Digest = null };
        var kind = bound.Type == ProfileType.Seccomp ? ProfileKind.Seccomp : ProfileKind.AppArmor;
        var artifact = new Descriptor(MediaTypes.OciManifest, artifactDigest, 0);
        var pulled = await new ProfileArtifacts(client).PullArtifactAsync(reach, kind, artifact, new Descriptor(MediaTypes.OciManifest, subject, 0), cancel).ConfigureAwait(false);
        if (policy.CheckContent(bound.Type, bound.ResourceName, pulled.Content) is { } contentProblem)
            return Rejected(contentProblem);
        if (policy.RequireSignatures
            && !await new ArtifactSigner(client).VerifyAsync(reach, artifact, subject, policy.Keys, $"{artifactRef.Registry}/{artifactRef.Repository}", cancel).ConfigureAwait(false))
            return Rejected("no signature by a key the cluster policy trusts (requireSignatures)");

        string content;
        try
        {
            content = bound.Type == ProfileType.AppArmor
                ? ClusterPolicy.RenameAppArmor(pulled.Content, ProfileNames.AppArmorLocalhost(bound.ResourceName))
                : ClusterPolicy.StoredSeccomp(pulled.Content, bound.ResourceName);
        }
        catch (ProfileException e)
        {
            return Rejected(e.Diagnostic.Message);
        }
        return Resource(bound, content, source, ProfilePhase.Pending, null);
    }

    public static ProfileResource Resource(BoundProfile bound, string content, ProfileSource? source, string phase, string? message)
    {
        ProfileResource resource = bound.Type == ProfileType.Seccomp ? new SeccompProfileResource() : new AppArmorProfileResource();
        resource.Metadata = new V1ObjectMeta { Name = bound.ResourceName };
        resource.Spec = new ProfileSpec
        {
            Content = content,
            ContentDigest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content))),
            LocalhostProfile = bound.Localhost,
            Source = source,
        };
        resource.Status = new ProfileStatus { Phase = phase, Message = message };
        return resource;
    }
}
