using k8s.Models;
using Portcullis.Runtime.Controller;
using Portcullis.Runtime.Hosting;
using Portcullis.Runtime.Kubernetes;
using Portcullis.Runtime.Registry;
using Portcullis.Runtime.Resources;

namespace Portcullis.Runtime.Webhook;

/// <summary>
/// In CRI-O mode no controller stands between the image and the node: CRI-O pulls the artifact the annotation
/// names. So the webhook judges that artifact by the cluster policy (registry, content, signatures) exactly as
/// the controller would before making a resource, and a refused profile refuses the pod: it neither runs with
/// the profile the policy forbids nor without one in its place (the Localhost analogue stays gated).
/// The annotation names the artifact by digest, so what is judged here is what CRI-O pulls.
/// </summary>
public sealed class CrioPolicyJudge(IClusterApi api, ProfileFetcher fetcher, RuntimeOptions options, TimeProvider time)
{
    private readonly ExpiringCache<string, ClusterPolicy> _policy = new(time, TimeSpan.FromSeconds(10), 1);

    /// <summary>Why the policy refuses <paramref name="found"/>, or null when it may be annotated.</summary>
    public async Task<string?> RefusalAsync(FoundProfile found, PullCredentials pull, CancellationToken cancel)
    {
        if (!_policy.TryGet("", out var policy))
        {
            policy = ClusterPolicy.From(await api.GetAsync<V1ConfigMap>(options.Namespace, options.PolicyConfigMap, cancel).ConfigureAwait(false));
            _policy.Set("", policy);
        }
        var source = new ArtifactSource(found.Repository with { Tag = null, Digest = null }, found.Artifact, found.Subject);
        var judged = await fetcher.FetchAsync(found.Type, source, pull, policy, cancel).ConfigureAwait(false);
        return judged.Status?.Phase == ProfilePhase.Rejected ? judged.Status.Message : null;
    }
}
