using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Portcullis.Profiles.Generation;
using Portcullis.Runtime.Hosting;
using Portcullis.Runtime.Kubernetes;
using Portcullis.Runtime.Resources;

namespace Portcullis.Runtime.NodeAgent;

/// <summary>
/// The node agent's reconcile: make this node's profile directory hold exactly the cluster's profiles,
/// load AppArmor policy where the kernel has AppArmor, report one ProfileNodeStatus per profile, and label
/// the node ready once everything is installed. Reads only profiles (bounded by their number) and its own
/// node's statuses, never pods, so its memory does not grow with the cluster. Seccomp profiles are written for the
/// node's OCI runtime (<see cref="SeccompVariantStore"/>): from --OciRuntime, else the node's
/// portcullis.dev/oci-runtime label; a runtime it does not know gets the portable union, and an Event on the node says so.
/// </summary>
public sealed class ProfileAgent(IClusterApi api, SeccompVariantStore seccompFiles, ProfileFileStore appArmorFiles, IAppArmorLoader appArmor, RuntimeOptions options, TimeProvider time, ILogger<ProfileAgent> log)
{
    private readonly ConcurrentDictionary<string, string> _loadedAppArmor = new(StringComparer.Ordinal);
    private string? _announcedRuntime;
    private string NodeLabelValue => ProfileNames.LabelValue(options.NodeName);

    /// <summary>At start: temp files a crash left behind go before anything is written.</summary>
    public int RemoveStaleTemps() => seccompFiles.RemoveStaleTemps() + appArmorFiles.RemoveStaleTemps();

    public async Task<AgentSyncResult> SyncAsync(CancellationToken cancel)
    {
        var node = await api.GetAsync<V1Node>(null, options.NodeName, cancel).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"node {options.NodeName} does not exist (set NODE_NAME from spec.nodeName)");
        var profiles = new List<ProfileResource>();
        profiles.AddRange(await api.ListAsync<SeccompProfileResource>(cancel: cancel).ConfigureAwait(false));
        profiles.AddRange(await api.ListAsync<AppArmorProfileResource>(cancel: cancel).ConfigureAwait(false));
        var statuses = (await api.ListAsync<ProfileNodeStatusResource>(labelSelector: $"{RuntimeNames.NodeLabel}={NodeLabelValue}", cancel: cancel).ConfigureAwait(false))
            .Where(s => s.Spec.NodeName == options.NodeName)
            .ToDictionary(s => s.Metadata.Name, StringComparer.Ordinal);

        var installable = profiles.Where(p => p.Status?.Phase != ProfilePhase.Rejected && ProfileFileStore.IsValidName(p.Metadata.Name)).ToList();
        var runtime = await OciRuntimeAsync(node, cancel).ConfigureAwait(false);
        var result = new AgentSyncResult();
        await Parallel.ForEachAsync(installable, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancel }, async (profile, token) =>
        {
            var (state, message, wrote) = await InstallAsync(profile, runtime, token).ConfigureAwait(false);
            if (wrote)
                Interlocked.Increment(ref result.Written);
            if (state == NodeState.Failed)
                Interlocked.Increment(ref result.Failed);
            var name = ProfileNames.NodeStatus(profile.Type, profile.Metadata.Name, options.NodeName);
            statuses.TryGetValue(name, out var existing);
            if (await ReportAsync(node, profile, name, existing, state, message, token).ConfigureAwait(false))
                Interlocked.Increment(ref result.Reported);
        }).ConfigureAwait(false);

        var wanted = installable.Select(p => (p.Type, p.Metadata.Name)).ToHashSet();
        foreach (var name in seccompFiles.Names().Where(n => !wanted.Contains((ProfileType.Seccomp, n))))
        {
            seccompFiles.Remove(name);
            result.Removed++;
        }
        foreach (var name in appArmorFiles.Names().Where(n => !wanted.Contains((ProfileType.AppArmor, n))))
        {
            await UnloadAsync(name, cancel).ConfigureAwait(false);
            result.Removed++;
        }
        foreach (var stale in statuses.Values.Where(s => !wanted.Contains((s.Spec.ProfileType, s.Spec.ProfileName))))
            await api.DeleteAsync<ProfileNodeStatusResource>(null, stale.Metadata.Name, cancel).ConfigureAwait(false);

        // Ready means every profile is in place here, so a pod steered to this node finds its profile.
        await LabelAsync(node, ready: result.Failed == 0, cancel).ConfigureAwait(false);
        RuntimeMetrics.NodeProfiles.WithLabels("seccomp", "files").Set(seccompFiles.Names().Count);
        return result;
    }

    /// <summary>True when this agent's DaemonSet is gone or going: the agent is being uninstalled, not restarted.</summary>
    public async Task<bool> IsBeingUninstalledAsync(CancellationToken cancel)
    {
        try
        {
            var daemonSet = await api.GetAsync<V1DaemonSet>(options.Namespace, options.AgentDaemonSet, cancel).ConfigureAwait(false);
            return daemonSet is null || daemonSet.Metadata.DeletionTimestamp is not null;
        }
        catch (ClusterApiException e) when (e.Status is System.Net.HttpStatusCode.Forbidden or System.Net.HttpStatusCode.Unauthorized)
        {
            return true; // `kubectl delete -k` removed our RBAC or service account before this pod stopped
        }
    }

    /// <summary>Uninstall: no files, no loaded policy, no statuses and no labels left on this node; what could not be undone, or null.</summary>
    public async Task<string?> UninstallAsync(CancellationToken cancel)
    {
        // The node first: it needs no API, which may already be refusing us.
        foreach (var name in appArmorFiles.Names())
            await UnloadAsync(name, cancel).ConfigureAwait(false);
        seccompFiles.RemoveAll();
        appArmorFiles.RemoveAll();
        try
        {
            await ForgetNodeAsync(cancel).ConfigureAwait(false);
            return null;
        }
        catch (ClusterApiException e)
        {
            // Typically 401/403: the manifests (and this agent's account) went first. The node keeps the labels.
            return $"files removed; this node's ProfileNodeStatuses and its {RuntimeNames.AgentReadyLabel} and {RuntimeNames.AppArmorLabel} labels are left ({e.Message}): remove them by hand";
        }
    }

    private async Task ForgetNodeAsync(CancellationToken cancel)
    {
        foreach (var status in await api.ListAsync<ProfileNodeStatusResource>(labelSelector: $"{RuntimeNames.NodeLabel}={NodeLabelValue}", cancel: cancel).ConfigureAwait(false))
            await api.DeleteAsync<ProfileNodeStatusResource>(null, status.Metadata.Name, cancel).ConfigureAwait(false);
        if (await api.GetAsync<V1Node>(null, options.NodeName, cancel).ConfigureAwait(false) is { Metadata.Labels: { } labels } node)
        {
            var patch = new[] { RuntimeNames.AgentReadyLabel, RuntimeNames.AppArmorLabel }.Where(labels.ContainsKey)
                .Select(k => PatchOperation.Remove("/metadata/labels/" + PatchOperation.Escape(k))).ToList();
            if (patch.Count > 0)
                await api.PatchAsync<V1Node>(null, node.Metadata.Name, patch, cancel).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The node's OCI runtime as "runc/1.1.5", or null when not known or not probed (then the profiles stay the union). The
    /// first time a node's runtime is unknown, and whenever that changes, an Event on the node says what it gets and why.
    /// </summary>
    private async Task<string?> OciRuntimeAsync(V1Node node, CancellationToken cancel)
    {
        var named = options.OciRuntime ?? (node.Metadata.Labels is { } labels && labels.TryGetValue(RuntimeNames.OciRuntimeLabel, out var label) ? label : null);
        var known = ContainerRuntimeBase.ForName(named, noNewPrivileges: false) is { Proven: true };
        var why = known ? null
            : named is null ? $"this node's OCI runtime is not known (set the agent's --OciRuntime, e.g. runc/1.1.5, or the node label {RuntimeNames.OciRuntimeLabel}=runc-1.1.5)"
            : ContainerRuntimeBase.ForName(named, noNewPrivileges: false) is null ? $"'{named}' does not name an OCI runtime and version (e.g. runc/1.1.5)"
            : $"{named} is not a runtime version Portcullis has probed ({string.Join(", ", RuntimeBaseTable.Rows.Select(r => $"{r.Runtime}/{r.Version}").Distinct())})";
        if (why is not null && _announcedRuntime != why)
        {
            _announcedRuntime = why;
            var message = $"{why}: seccomp profiles are installed with the portable container-runtime base ({ContainerRuntimeBase.Versions}), which allows more than the node's runtime needs";
            log.LogWarning("{Why}", message);
            try
            {
                await api.CreateAsync(WarningEvent.Node(node.Metadata.Name, node.Metadata.Uid, "ContainerRuntimeUnknown", message, "portcullis-agent", time.GetUtcNow().UtcDateTime), cancel).ConfigureAwait(false);
            }
            catch (ClusterApiException)
            {
                RuntimeMetrics.Errors.WithLabels("agent", "event").Inc();
            }
        }
        else if (why is null)
        {
            _announcedRuntime = null;
        }
        return known ? named : null;
    }

    private async Task<(string State, string? Message, bool Wrote)> InstallAsync(ProfileResource profile, string? runtime, CancellationToken cancel)
    {
        var content = Encoding.UTF8.GetBytes(profile.Spec.Content);
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
        if (digest != profile.Spec.ContentDigest)
            return (NodeState.Failed, $"content hashes to {digest}, not to spec.contentDigest {profile.Spec.ContentDigest}", false);
        try
        {
            if (profile.Type == ProfileType.Seccomp)
                return (NodeState.Installed, null, seccompFiles.Write(profile.Metadata.Name, content, profile.Spec.ContainerRuntimeNames, runtime));
            if (!appArmor.Enabled)
                return (NodeState.Unsupported, "AppArmor is not enabled in this node's kernel", false);
            var wrote = appArmorFiles.Write(profile.Metadata.Name, content);
            if (wrote || _loadedAppArmor.GetValueOrDefault(profile.Metadata.Name) != digest)
            {
                await appArmor.LoadAsync(appArmorFiles.PathOf(profile.Metadata.Name), cancel).ConfigureAwait(false);
                _loadedAppArmor[profile.Metadata.Name] = digest;
            }
            return (NodeState.Installed, null, wrote);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException)
        {
            log.LogWarning("{Type} profile {Name}: {Why}", profile.Type, profile.Metadata.Name, e.Message);
            RuntimeMetrics.Errors.WithLabels("agent", "install").Inc();
            return (NodeState.Failed, e.Message, false);
        }
    }

    private async Task UnloadAsync(string name, CancellationToken cancel)
    {
        if (appArmor.Enabled)
        {
            try
            {
                await appArmor.UnloadAsync(appArmorFiles.PathOf(name), cancel).ConfigureAwait(false);
            }
            catch (InvalidOperationException e)
            {
                log.LogWarning("AppArmor profile {Name}: {Why}", name, e.Message);
            }
        }
        _loadedAppArmor.TryRemove(name, out _);
        appArmorFiles.Remove(name);
    }

    private async Task<bool> ReportAsync(V1Node node, ProfileResource profile, string name, ProfileNodeStatusResource? existing, string state, string? message, CancellationToken cancel)
    {
        if (existing is not null && existing.Status.State == state && existing.Status.ContentDigest == profile.Spec.ContentDigest && existing.Status.Message == message)
            return false;
        var status = existing ?? new ProfileNodeStatusResource
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                Labels = new Dictionary<string, string>
                {
                    [RuntimeNames.NodeLabel] = NodeLabelValue,
                    [RuntimeNames.ProfileLabel] = ProfileNames.LabelValue(profile.Metadata.Name),
                },
                // Owned by the node: deleting the node deletes its statuses; no finalizer can outlive it.
                OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "Node", Name = node.Metadata.Name, Uid = node.Metadata.Uid }],
            },
            Spec = new NodeStatusSpec { NodeName = options.NodeName, ProfileName = profile.Metadata.Name, ProfileType = profile.Type },
        };
        status.Status = new NodeStatusState { State = state, ContentDigest = profile.Spec.ContentDigest, Message = message };
        try
        {
            if (existing is null)
                await api.CreateAsync(status, cancel).ConfigureAwait(false);
            else
                await api.ReplaceAsync(status, cancel).ConfigureAwait(false);
        }
        catch (ClusterApiException e) when (e.IsConflict)
        {
            return false; // someone else wrote it (an earlier instance of this agent); the next sync reconciles
        }
        return true;
    }

    private async Task LabelAsync(V1Node node, bool ready, CancellationToken cancel)
    {
        var labels = node.Metadata.Labels ?? new Dictionary<string, string>();
        var patch = new List<PatchOperation>();
        if (node.Metadata.Labels is null)
            patch.Add(PatchOperation.Add("/metadata/labels", new System.Text.Json.Nodes.JsonObject()));
        void Set(string key, bool on)
        {
            var path = "/metadata/labels/" + PatchOperation.Escape(key);
            if (on && (!labels.TryGetValue(key, out var value) || value != "true"))
                patch.Add(PatchOperation.Add(path, "true"));
            else if (!on && labels.ContainsKey(key))
                patch.Add(PatchOperation.Remove(path));
        }
        Set(RuntimeNames.AgentReadyLabel, ready);
        Set(RuntimeNames.AppArmorLabel, appArmor.Enabled);
        if (patch.Count > (node.Metadata.Labels is null ? 1 : 0))
            await api.PatchAsync<V1Node>(null, node.Metadata.Name, patch, cancel).ConfigureAwait(false);
    }
}
