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
/// once every ready node has a pod's profiles; in-use profiles labelled so an admission policy keeps them from deletion; image
/// profiles no pod used for a while collected. Whatever fails fails for one pod or one profile: the pass goes
/// on with the rest, and fetches run beside it (<see cref="ProfileFetches"/>).
/// </summary>
public sealed class ProfileReconciler(IClusterApi api, ProfileFetcher fetcher, PodCredentialsSource credentials, RuntimeOptions options, TimeProvider time, ILogger<ProfileReconciler> log) : IDisposable
{
    private readonly ProfileFetches _fetches = new(options, time);

    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan RecheckRejectedAfter = TimeSpan.FromMinutes(1);
    // Pods come and go; what was announced is forgotten after an hour, so the set does not grow with them.
    private readonly ExpiringCache<string, bool> _announced = new(time, TimeSpan.FromHours(1), 10_000);
    private readonly ConcurrentDictionary<(ProfileType, string), DateTimeOffset> _rejectedChecked = new();

    public async Task<ControllerPass> ReconcileAsync(CancellationToken cancel)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var policy = ClusterPolicy.From(await api.GetAsync<V1ConfigMap>(options.Namespace, options.PolicyConfigMap, cancel).ConfigureAwait(false));
        // Only namespaces the webhook binds in: a pod elsewhere carries a label and annotation its owner wrote, not the webhook.
        var enabled = (await api.ListAsync<V1Namespace>(labelSelector: $"{RuntimeNames.BindLabel}=enabled", cancel: cancel).ConfigureAwait(false))
            .Select(n => n.Metadata.Name).Where(n => !options.IsExcluded(n)).ToHashSet(StringComparer.Ordinal);
        var pods = (await api.ListAsync<V1Pod>(labelSelector: $"{RuntimeNames.BoundLabel}=true", cancel: cancel).ConfigureAwait(false))
            .Where(p => p.Status?.Phase is not ("Succeeded" or "Failed") && enabled.Contains(p.Metadata.NamespaceProperty)).ToList();
        var profiles = new Dictionary<(ProfileType, string), ProfileResource>();
        foreach (var p in await api.ListAsync<SeccompProfileResource>(cancel: cancel).ConfigureAwait(false))
            profiles[(ProfileType.Seccomp, p.Metadata.Name)] = p;
        foreach (var p in await api.ListAsync<AppArmorProfileResource>(cancel: cancel).ConfigureAwait(false))
            profiles[(ProfileType.AppArmor, p.Metadata.Name)] = p;
        var readyNodes = (await api.ListAsync<V1Node>(labelSelector: $"{RuntimeNames.AgentReadyLabel}=true", cancel: cancel).ConfigureAwait(false)).ToList();
        var statuses = await api.ListAsync<ProfileNodeStatusResource>(cancel: cancel).ConfigureAwait(false);

        // What each pod needs, from its spec; and who needs what, with the sources their bindings checked out to.
        var needs = new List<(V1Pod Pod, IReadOnlyList<ProfileNeed> Needs)>();
        var usedBy = new Dictionary<(ProfileType, string), List<(V1Pod Pod, ProfileNeed Need)>>();
        foreach (var pod in pods)
        {
            IReadOnlyList<ProfileNeed> podNeeds;
            IReadOnlyList<string> problems;
            try
            {
                (podNeeds, problems) = PodProfileNeeds.Of(pod);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A pod whose needs cannot be read is left gated and out of this pass; the others go on.
                Failed("pod", $"pod {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name}", e);
                continue;
            }
            foreach (var problem in problems)
                await AnnounceAsync(pod, "BindingIgnored", problem, cancel).ConfigureAwait(false);
            needs.Add((pod, podNeeds));
            foreach (var need in podNeeds)
            {
                if (!usedBy.TryGetValue(need.Key, out var list))
                    usedBy[need.Key] = list = [];
                list.Add((pod, need));
            }
        }

        var deleted = await RemoveSquatsAsync(profiles, usedBy, cancel).ConfigureAwait(false);

        // Missing profiles are fetched beside the pass; each one that ends wakes the loop for another pass.
        foreach (var (key, users) in usedBy.Where(u => !profiles.ContainsKey(u.Key) && u.Value.Any(n => n.Need.Source is not null)))
            _fetches.Start(key, token => CreateAsync(key.Item1, users, policy, token), stop => TimedOutAsync(key, users, stop), cancel);

        // A rejected profile is judged again now and then: the policy may have changed, or a signature arrived.
        foreach (var (key, profile) in profiles.Where(p => p.Value.Status?.Phase == ProfilePhase.Rejected && p.Value.Spec.Source is not null && usedBy.ContainsKey(p.Key)).ToList())
        {
            var last = _rejectedChecked.GetOrAdd(key, time.GetUtcNow());
            if (time.GetUtcNow() - last < RecheckRejectedAfter)
                continue;
            _rejectedChecked[key] = time.GetUtcNow();
            var users = usedBy[key];
            _fetches.Start(key, token => RejudgeAsync(profile, users, policy, token), stop => TimedOutAsync(key, users, stop), cancel);
        }

        var statusesWritten = 0;
        foreach (var (key, profile) in profiles)
        {
            // In use only by pods it may stand for: a resource that is not what they were bound to is not in use for them.
            var used = usedBy.TryGetValue(key, out var users) && users.Any(u => u.Need.IsMetBy(profile));
            try
            {
                if (!used && profile.Metadata.DeletionTimestamp is null && profile.Spec.Source is not null
                    && (profile.Status?.LastUsed ?? profile.Metadata.CreationTimestamp ?? now) + options.GarbageCollectAfter < now)
                {
                    // Labelled by an earlier pass (or a finalizer from an older version): unlabelled first, or the policy refuses the delete.
                    if (IsInUse(profile) || HasLegacyFinalizer(profile))
                    {
                        SetInUse(profile, false);
                        await api.ReplaceProfileAsync(profile, cancel).ConfigureAwait(false);
                    }
                    await api.DeleteProfileAsync(profile, cancel).ConfigureAwait(false);
                    deleted++;
                    continue;
                }
                if (await UpdateAsync(profile, used, readyNodes, statuses, now, cancel).ConfigureAwait(false))
                    statusesWritten++;
            }
            catch (ClusterApiException e)
            {
                Failed("status", $"{profile.Type} profile {profile.Metadata.Name}", e);
            }
        }

        var (lifted, gated) = await LiftGatesAsync(needs, profiles, cancel).ConfigureAwait(false);
        // Every (type, phase) is set, to 0 where no profile is: a phase that empties must not keep its last count.
        foreach (var type in Enum.GetValues<ProfileType>())
        {
            foreach (var phase in new[] { ProfilePhase.Pending, ProfilePhase.Partial, ProfilePhase.Installed, ProfilePhase.Rejected })
                RuntimeMetrics.Profiles.WithLabels(type.ToString().ToLowerInvariant(), phase).Set(profiles.Values.Count(p => p.Type == type && (p.Status?.Phase ?? ProfilePhase.Pending) == phase));
        }
        RuntimeMetrics.GatedPods.Set(gated);
        return new ControllerPass(_fetches.TakeCreated(), lifted, gated, deleted, statusesWritten);
    }

    /// <summary>Raised when a fetch ends (a profile made, judged again, or given up on): time for another pass.</summary>
    public event Action? Fetched
    {
        add => _fetches.Finished += value;
        remove => _fetches.Finished -= value;
    }

    /// <summary>Fetches still running.</summary>
    public int Fetching => _fetches.Running;

    /// <summary>Completes once every fetch started so far has ended; how many profiles they made (and no later pass will count).</summary>
    public Task<int> FetchesDoneAsync(CancellationToken cancel) => _fetches.IdleAsync(cancel);

    public void Dispose() => _fetches.Dispose();

    private void Failed(string stage, string what, Exception e)
    {
        RuntimeMetrics.Errors.WithLabels("controller", stage).Inc();
        log.LogWarning("{What}: {Why}", what, e.Message);
    }

    /// <summary>
    /// An image-borne profile whose name is not the digest of the artifact it came from was made from a forged
    /// binding (by a controller before names were derived) or edited: it stands for nothing. It is deleted,
    /// loudly, so the real one can be made from the artifact its name stands for; a profile a person made is
    /// never touched (<see cref="LiftGatesAsync"/> keeps pods that need an artifact away from it).
    /// </summary>
    private async Task<int> RemoveSquatsAsync(Dictionary<(ProfileType, string), ProfileResource> profiles, Dictionary<(ProfileType, string), List<(V1Pod Pod, ProfileNeed Need)>> usedBy, CancellationToken cancel)
    {
        var removed = 0;
        foreach (var (key, squat) in profiles.Where(p => !PodProfileNeeds.IsConsistent(p.Value)).ToList())
        {
            var source = squat.Spec.Source!;
            var why = $"{squat.Type} profile {squat.Metadata.Name} came from artifact {source.Registry}/{source.Repository}@{source.ArtifactDigest}, which that name does not stand for";
            log.LogWarning("deleting {Why}", why);
            RuntimeMetrics.Errors.WithLabels("controller", "squat").Inc();
            foreach (var (pod, _) in usedBy.GetValueOrDefault(key) ?? [])
                await AnnounceAsync(pod, "ProfileConflict", why + "; it is deleted and made again from the artifact", cancel).ConfigureAwait(false);
            profiles.Remove(key);
            try
            {
                if (squat.Metadata.Finalizers?.Remove(RuntimeNames.LegacyInUseFinalizer) == true | squat.Metadata.Labels?.Remove(RuntimeNames.InUseLabel) == true)
                    await api.ReplaceProfileAsync(squat, cancel).ConfigureAwait(false);
                await api.DeleteProfileAsync(squat, cancel).ConfigureAwait(false);
                removed++;
            }
            catch (ClusterApiException e)
            {
                Failed("squat", $"{squat.Type} profile {squat.Metadata.Name}", e);
            }
        }
        return removed;
    }

    private async Task<bool> CreateAsync(ProfileType type, List<(V1Pod Pod, ProfileNeed Need)> users, ClusterPolicy policy, CancellationToken cancel)
    {
        if (await JudgeAsync(type, users, policy, cancel).ConfigureAwait(false) is not { } resource)
            return false;
        if (resource.Status?.Phase == ProfilePhase.Rejected)
            log.LogWarning("{Type} profile {Name} rejected: {Why}", resource.Type, resource.Metadata.Name, resource.Status.Message);
        // Made because pods need it: in use from the start, so a delete before the next pass cannot pull it from under them.
        SetInUse(resource, true);
        try
        {
            await api.CreateProfileAsync(resource, cancel).ConfigureAwait(false);
            return true;
        }
        catch (ClusterApiException e) when (e.IsAlreadyExists)
        {
            return false; // another pass (or an old leader) made it; the next pass reads it
        }
        catch (ClusterApiException e)
        {
            Failed("create", $"{type} profile {resource.Metadata.Name}", e);
            return false;
        }
    }

    private async Task<bool> RejudgeAsync(ProfileResource profile, List<(V1Pod Pod, ProfileNeed Need)> users, ClusterPolicy policy, CancellationToken cancel)
    {
        if (await JudgeAsync(profile.Type, users, policy, cancel).ConfigureAwait(false) is not { Status.Phase: not ProfilePhase.Rejected } accepted)
            return false;
        profile.Spec = accepted.Spec;
        profile.Status = accepted.Status;
        try
        {
            await api.ReplaceProfileAsync(profile, cancel).ConfigureAwait(false);
            _rejectedChecked.TryRemove((profile.Type, profile.Metadata.Name), out _);
        }
        catch (ClusterApiException e)
        {
            Failed("rejudge", $"{profile.Type} profile {profile.Metadata.Name}", e);
        }
        return false;
    }

    private async Task TimedOutAsync((ProfileType Type, string Name) key, List<(V1Pod Pod, ProfileNeed Need)> users, CancellationToken cancel)
    {
        foreach (var (pod, need) in users.Where(u => u.Need.Source is not null).DistinctBy(u => u.Need.Source!.Repository))
            await AnnounceAsync(pod, "ProfileUnavailable", $"{key.Type} profile {key.Name} from {need.Source}: no answer within {options.FetchDeadline.TotalSeconds:0.#} s", cancel).ConfigureAwait(false);
    }

    /// <summary>
    /// The resource for an image-borne profile, fetched and judged by the policy, from each verified source in
    /// turn (one per repository) until one is accepted: a pod whose copy of the artifact sits in a registry
    /// the policy refuses cannot make it Rejected for everyone. Null when there is nothing to fetch, or nothing
    /// could be fetched now.
    /// </summary>
    private async Task<ProfileResource?> JudgeAsync(ProfileType type, List<(V1Pod Pod, ProfileNeed Need)> users, ClusterPolicy policy, CancellationToken cancel)
    {
        ProfileResource? rejected = null;
        foreach (var (pod, source) in users.Where(u => u.Need.Source is not null).Select(u => (u.Pod, u.Need.Source!)).DistinctBy(u => u.Item2.Repository))
        {
            try
            {
                var pull = await credentials.ForAsync(pod.Metadata.NamespaceProperty,
                    pod.Spec.ImagePullSecrets?.Select(s => s.Name).OfType<string>() ?? [], pod.Spec.ServiceAccountName ?? "default", cancel).ConfigureAwait(false);
                var judged = await fetcher.FetchAsync(type, source, pull, policy, cancel).ConfigureAwait(false);
                if (judged.Status?.Phase != ProfilePhase.Rejected)
                    return judged;
                rejected ??= judged;
            }
            catch (Exception e) when (e is OciException or HttpRequestException or ClusterApiException)
            {
                RuntimeMetrics.Errors.WithLabels("controller", "fetch").Inc();
                await AnnounceAsync(pod, "ProfileUnavailable", $"{type} profile {source.ResourceName} from {source}: {RegistryErrors.Describe(e)}", cancel).ConfigureAwait(false);
            }
        }
        return rejected;
    }

    /// <summary>Phase, counts, lastUsed and the in-use label; writes only when something changed.</summary>
    private async Task<bool> UpdateAsync(ProfileResource profile, bool used, List<V1Node> readyNodes, IReadOnlyList<ProfileNodeStatusResource> statuses, DateTime now, CancellationToken cancel)
    {
        var hadStatus = profile.Status is not null; // a profile made without one gets one, even when it says Pending
        var status = profile.Status ?? new ProfileStatus();
        var before = (status.Phase, status.InstalledNodes, status.AgentNodes, status.LastUsed, InUse: IsInUse(profile), Legacy: HasLegacyFinalizer(profile));
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
        SetInUse(profile, used);
        profile.Status = status;
        if (hadStatus && before == (status.Phase, status.InstalledNodes, status.AgentNodes, status.LastUsed, IsInUse(profile), HasLegacyFinalizer(profile)))
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

    private static bool IsInUse(ProfileResource profile) =>
        profile.Metadata.Labels?.TryGetValue(RuntimeNames.InUseLabel, out var value) == true && value == "true";

    private static bool HasLegacyFinalizer(ProfileResource profile) =>
        profile.Metadata.Finalizers?.Contains(RuntimeNames.LegacyInUseFinalizer) == true;

    /// <summary>The in-use label on or off; a finalizer an older version left goes either way, so an uninstall cannot hang on it.</summary>
    private static void SetInUse(ProfileResource profile, bool used)
    {
        profile.Metadata.Finalizers?.Remove(RuntimeNames.LegacyInUseFinalizer);
        if (used)
            (profile.Metadata.Labels ??= new Dictionary<string, string>())[RuntimeNames.InUseLabel] = "true";
        else
            profile.Metadata.Labels?.Remove(RuntimeNames.InUseLabel);
    }

    private async Task<(int Lifted, int Gated)> LiftGatesAsync(List<(V1Pod Pod, IReadOnlyList<ProfileNeed> Needs)> pods, Dictionary<(ProfileType, string), ProfileResource> profiles, CancellationToken cancel)
    {
        var lifted = 0;
        var gated = 0;
        foreach (var (pod, needs) in pods)
        {
            var index = (pod.Spec.SchedulingGates ?? []).Select(g => g.Name).ToList().IndexOf(RuntimeNames.SchedulingGate);
            if (index < 0)
                continue;
            var waiting = false;
            foreach (var need in needs)
            {
                if (!profiles.TryGetValue(need.Key, out var profile))
                {
                    waiting = true;
                    continue;
                }
                if (!need.IsMetBy(profile))
                {
                    // Same name, other content: never what this pod was bound to, and not overwritten (a person made it).
                    waiting = true;
                    await AnnounceAsync(pod, "ProfileConflict", $"{need.Type} profile {need.Name} exists but was not made from {need.Source?.ToString() ?? "the artifact its name stands for"}; the pod stays gated until it is deleted, and then it is made from the artifact", cancel).ConfigureAwait(false);
                    continue;
                }
                if (profile.Status?.Phase == ProfilePhase.Rejected)
                    await AnnounceAsync(pod, "ProfileRejected", $"{need.Type} profile {need.Name} is not installed: {profile.Status.Message}; the pod stays gated", cancel).ConfigureAwait(false);
                waiting |= profile.Status?.Phase != ProfilePhase.Installed;
            }
            if (waiting)
            {
                gated++;
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
            catch (ClusterApiException e)
            {
                Failed("gate", $"pod {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name}", e);
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
            await api.CreateAsync(WarningEvent.Pod(pod.Metadata.NamespaceProperty, pod.Metadata.Name, pod.Metadata.Uid, reason, message, "portcullis-controller", now), cancel).ConfigureAwait(false);
        }
        catch (ClusterApiException)
        {
            RuntimeMetrics.Errors.WithLabels("controller", "event").Inc();
        }
    }
}
