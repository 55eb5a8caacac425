using System.Collections.Concurrent;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Portcullis.Oci;
using Portcullis.Runtime.Hosting;
using Portcullis.Runtime.Kubernetes;
using Portcullis.Runtime.Registry;
using Portcullis.Runtime.Resources;
using Portcullis.Runtime.Webhook;

namespace Portcullis.Runtime.Controller;

/// <summary>
/// The controller's level-triggered reconcile, one pass over the whole state: profile resources for what
/// bound pods name; each profile's phase from the agents' per-node statuses; the scheduling gate lifted
/// once every ready node has a pod's profiles; in-use profiles kept from deletion by a finalizer; image
/// profiles no pod used for a while collected.
/// </summary>
public sealed class ProfileReconciler(IClusterApi api, ProfileFetcher fetcher, PodCredentialsSource credentials, RuntimeOptions options, TimeProvider time, ILogger<ProfileReconciler> log)
{
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan RecheckRejectedAfter = TimeSpan.FromMinutes(1);
    // Pods come and go; what was announced is forgotten after an hour, so the set does not grow with them.
    private readonly ExpiringCache<string, bool> _announced = new(time, TimeSpan.FromHours(1), 10_000);
    private readonly ConcurrentDictionary<(ProfileType, string), DateTimeOffset> _rejectedChecked = new();

    public async Task<ControllerPass> ReconcileAsync(CancellationToken cancel)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var policy = ClusterPolicy.From(await api.GetAsync<V1ConfigMap>(options.Namespace, options.PolicyConfigMap, cancel).ConfigureAwait(false));
        var pods = (await api.ListAsync<V1Pod>(labelSelector: $"{RuntimeNames.BoundLabel}=true", cancel: cancel).ConfigureAwait(false))
            .Where(p => p.Status?.Phase is not ("Succeeded" or "Failed")).ToList();
        var profiles = new Dictionary<(ProfileType, string), ProfileResource>();
        foreach (var p in await api.ListAsync<SeccompProfileResource>(cancel: cancel).ConfigureAwait(false))
            profiles[(ProfileType.Seccomp, p.Metadata.Name)] = p;
        foreach (var p in await api.ListAsync<AppArmorProfileResource>(cancel: cancel).ConfigureAwait(false))
            profiles[(ProfileType.AppArmor, p.Metadata.Name)] = p;
        var readyNodes = (await api.ListAsync<V1Node>(labelSelector: $"{RuntimeNames.AgentReadyLabel}=true", cancel: cancel).ConfigureAwait(false)).ToList();
        var statuses = await api.ListAsync<ProfileNodeStatusResource>(cancel: cancel).ConfigureAwait(false);

        // Which pods use which profiles.
        var usedBy = new Dictionary<(ProfileType, string), List<(V1Pod Pod, BoundProfile Bound)>>();
        foreach (var pod in pods)
        {
            foreach (var binding in BindingRecord.Read(pod.Metadata.Annotations))
            {
                foreach (var bound in new[] { binding.Seccomp, binding.AppArmor }.OfType<BoundProfile>())
                {
                    var key = (bound.Type, bound.ResourceName);
                    if (!usedBy.TryGetValue(key, out var list))
                        usedBy[key] = list = [];
                    list.Add((pod, bound));
                }
            }
        }

        var created = 0;
        foreach (var (key, users) in usedBy.Where(u => !profiles.ContainsKey(u.Key)))
        {
            if (await CreateAsync(users, policy, cancel).ConfigureAwait(false) is { } resource)
            {
                profiles[key] = resource;
                created++;
            }
        }

        // A rejected profile is judged again now and then: the policy may have changed, or a signature arrived.
        foreach (var (key, profile) in profiles.Where(p => p.Value.Status?.Phase == ProfilePhase.Rejected && usedBy.ContainsKey(p.Key)).ToList())
        {
            var last = _rejectedChecked.GetOrAdd(key, time.GetUtcNow());
            if (time.GetUtcNow() - last < RecheckRejectedAfter)
                continue;
            _rejectedChecked[key] = time.GetUtcNow();
            if (await JudgeAsync(usedBy[key], policy, cancel).ConfigureAwait(false) is { Status.Phase: not ProfilePhase.Rejected } accepted)
            {
                profile.Spec = accepted.Spec;
                profile.Status = accepted.Status;
                profiles[key] = await api.ReplaceProfileAsync(profile, cancel).ConfigureAwait(false);
                _rejectedChecked.TryRemove(key, out _);
            }
        }

        var statusesWritten = 0;
        var deleted = 0;
        foreach (var (key, profile) in profiles)
        {
            var used = usedBy.ContainsKey(key);
            if (!used && profile.Metadata.DeletionTimestamp is null && profile.Spec.Source is not null
                && (profile.Status?.LastUsed ?? profile.Metadata.CreationTimestamp ?? now) + options.GarbageCollectAfter < now)
            {
                await api.DeleteProfileAsync(profile, cancel).ConfigureAwait(false);
                deleted++;
                continue;
            }
            if (await UpdateAsync(profile, used, readyNodes, statuses, now, cancel).ConfigureAwait(false))
                statusesWritten++;
        }

        var (lifted, gated) = await LiftGatesAsync(pods, profiles, cancel).ConfigureAwait(false);
        foreach (var group in profiles.Values.GroupBy(p => (p.Type, p.Status?.Phase ?? ProfilePhase.Pending)))
            RuntimeMetrics.Profiles.WithLabels(group.Key.Type.ToString().ToLowerInvariant(), group.Key.Item2).Set(group.Count());
        RuntimeMetrics.GatedPods.Set(gated);
        return new ControllerPass(created, lifted, gated, deleted, statusesWritten);
    }

    private async Task<ProfileResource?> CreateAsync(List<(V1Pod Pod, BoundProfile Bound)> users, ClusterPolicy policy, CancellationToken cancel)
    {
        if (await JudgeAsync(users, policy, cancel).ConfigureAwait(false) is not { } resource)
            return null;
        if (resource.Status?.Phase == ProfilePhase.Rejected)
            log.LogWarning("{Type} profile {Name} rejected: {Why}", resource.Type, resource.Metadata.Name, resource.Status.Message);
        try
        {
            return await api.CreateProfileAsync(resource, cancel).ConfigureAwait(false);
        }
        catch (ClusterApiException e) when (e.IsAlreadyExists)
        {
            return null; // another pass (or an old leader) made it; the next pass reads it
        }
    }

    /// <summary>The resource for an image-borne profile, fetched and judged by the policy; null when it cannot be fetched now.</summary>
    private async Task<ProfileResource?> JudgeAsync(List<(V1Pod Pod, BoundProfile Bound)> users, ClusterPolicy policy, CancellationToken cancel)
    {
        var (pod, bound) = users[0];
        if (bound.Artifact is null)
            return null; // a ProfileBinding names a resource a person made; nothing to fetch
        try
        {
            var pull = await credentials.ForAsync(pod.Metadata.NamespaceProperty,
                pod.Spec.ImagePullSecrets?.Select(s => s.Name).OfType<string>() ?? [], pod.Spec.ServiceAccountName ?? "default", cancel).ConfigureAwait(false);
            return await fetcher.FetchAsync(bound, pull, policy, cancel).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OciException or HttpRequestException or ClusterApiException)
        {
            RuntimeMetrics.Errors.WithLabels("controller", "fetch").Inc();
            await AnnounceAsync(pod, "ProfileUnavailable", $"{bound.Type} profile {bound.ResourceName} from {bound.Artifact}: {e.Message}", cancel).ConfigureAwait(false);
            return null;
        }
    }

    /// <summary>Phase, counts, lastUsed and the in-use finalizer; writes only when something changed.</summary>
    private async Task<bool> UpdateAsync(ProfileResource profile, bool used, List<V1Node> readyNodes, IReadOnlyList<ProfileNodeStatusResource> statuses, DateTime now, CancellationToken cancel)
    {
        var status = profile.Status ?? new ProfileStatus();
        var before = (status.Phase, status.InstalledNodes, status.AgentNodes, status.LastUsed, Finalized: profile.Metadata.Finalizers?.Contains(RuntimeNames.InUseFinalizer) == true);
        var relevant = readyNodes
            .Where(n => profile.Type == ProfileType.Seccomp || n.Metadata.Labels is { } l && l.TryGetValue(RuntimeNames.AppArmorLabel, out var v) && v == "true")
            .Select(n => n.Metadata.Name).ToHashSet(StringComparer.Ordinal);
        var installed = statuses.Count(s => s.Spec.ProfileType == profile.Type && s.Spec.ProfileName == profile.Metadata.Name
            && relevant.Contains(s.Spec.NodeName) && s.Status.State == NodeState.Installed && s.Status.ContentDigest == profile.Spec.ContentDigest);
        if (status.Phase != ProfilePhase.Rejected)
        {
            status.Phase = relevant.Count > 0 && installed == relevant.Count ? ProfilePhase.Installed : installed > 0 ? ProfilePhase.Partial : ProfilePhase.Pending;
            status.Message = relevant.Count == 0 ? "no node runs a ready agent" + (profile.Type == ProfileType.AppArmor ? " with AppArmor" : "") : null;
        }
        status.InstalledNodes = installed;
        status.AgentNodes = relevant.Count;
        if (used && (status.LastUsed is null || now - status.LastUsed > LastUsedResolution))
            status.LastUsed = now;
        var finalizers = profile.Metadata.Finalizers ?? [];
        if (used && !finalizers.Contains(RuntimeNames.InUseFinalizer))
            finalizers.Add(RuntimeNames.InUseFinalizer);
        else if (!used)
            finalizers.Remove(RuntimeNames.InUseFinalizer);
        profile.Metadata.Finalizers = finalizers;
        profile.Status = status;
        if (before == (status.Phase, status.InstalledNodes, status.AgentNodes, status.LastUsed, finalizers.Contains(RuntimeNames.InUseFinalizer)))
            return false;
        try
        {
            await api.ReplaceProfileAsync(profile, cancel).ConfigureAwait(false);
        }
        catch (ClusterApiException e) when (e.IsConflict || e.IsNotFound)
        {
            return false;
        }
        return true;
    }

    private async Task<(int Lifted, int Gated)> LiftGatesAsync(List<V1Pod> pods, Dictionary<(ProfileType, string), ProfileResource> profiles, CancellationToken cancel)
    {
        var lifted = 0;
        var gated = 0;
        foreach (var pod in pods)
        {
            var index = (pod.Spec.SchedulingGates ?? []).Select(g => g.Name).ToList().IndexOf(RuntimeNames.SchedulingGate);
            if (index < 0)
                continue;
            var needed = BindingRecord.Read(pod.Metadata.Annotations)
                .SelectMany(b => new[] { b.Seccomp, b.AppArmor }).OfType<BoundProfile>()
                .Select(b => (b.Type, b.ResourceName)).Distinct().ToList();
            var missing = needed.Where(n => !profiles.TryGetValue(n, out var p) || p.Status?.Phase != ProfilePhase.Installed).ToList();
            if (missing.Count > 0)
            {
                gated++;
                foreach (var rejected in missing.Where(n => profiles.TryGetValue(n, out var p) && p.Status?.Phase == ProfilePhase.Rejected))
                    await AnnounceAsync(pod, "ProfileRejected", $"{rejected.Type} profile {rejected.ResourceName} is not installed: {profiles[rejected].Status!.Message}; the pod stays gated", cancel).ConfigureAwait(false);
                continue;
            }
            var path = $"/spec/schedulingGates/{index}";
            try
            {
                await api.PatchAsync<V1Pod>(pod.Metadata.NamespaceProperty, pod.Metadata.Name,
                    [PatchOperation.Test(path + "/name", RuntimeNames.SchedulingGate), PatchOperation.Remove(path)], cancel).ConfigureAwait(false);
                lifted++;
            }
            catch (ClusterApiException e) when (e.IsNotFound || e.Status == System.Net.HttpStatusCode.UnprocessableEntity)
            {
                // deleted meanwhile, or the gates changed under us: the next pass sees the new state
            }
        }
        return (lifted, gated);
    }

    private async Task AnnounceAsync(V1Pod pod, string reason, string message, CancellationToken cancel)
    {
        var key = $"{pod.Metadata.Uid}/{reason}/{message}";
        if (_announced.TryGet(key, out _))
            return;
        _announced.Set(key, true);
        var now = time.GetUtcNow().UtcDateTime;
        try
        {
            await api.CreateAsync(PodWarning.Create(pod.Metadata.NamespaceProperty, pod.Metadata.Name, pod.Metadata.Uid, reason, message, "portcullis-controller", now), cancel).ConfigureAwait(false);
        }
        catch (ClusterApiException)
        {
            RuntimeMetrics.Errors.WithLabels("controller", "event").Inc();
        }
    }
}
