using System.Text.Json.Nodes;
using Portcullis.Oci;
using Portcullis.Runtime.Hosting;
using Portcullis.Runtime.Kubernetes;
using Portcullis.Runtime.Registry;
using Portcullis.Runtime.Resources;

namespace Portcullis.Runtime.Webhook;

/// <summary>
/// Decides, container by container, which profiles a new pod gets: a ProfileBinding of its namespace that
/// matches, else the profiles its image carries. Only reads (the API for bindings, secrets and node states;
/// the registry for images); a container that already names a profile keeps it.
/// </summary>
public sealed class PodBinder(IClusterApi api, ImageProfileResolver resolver, PodCredentialsSource credentials, CrioPolicyJudge crioPolicy, RuntimeOptions options, TimeProvider time)
{
    private readonly ExpiringCache<string, IReadOnlyList<ProfileBindingResource>> _bindings = new(time, TimeSpan.FromSeconds(10), 10_000);
    private readonly ExpiringCache<string, ProfileResource?> _profiles = new(time, TimeSpan.FromSeconds(10), 10_000);

    /// <summary>The containers' bindings; problems that leave a container unbound; refusals that refuse the whole pod.</summary>
    public async Task<(IReadOnlyList<ContainerBinding> Bindings, IReadOnlyList<string> Problems, IReadOnlyList<string> Refusals)> BindAsync(JsonObject pod, string ns, bool bindAppArmor, CancellationToken cancel)
    {
        var spec = pod["spec"] as JsonObject ?? throw new FormatException("the pod has no spec");
        var labels = (pod["metadata"]?["labels"] as JsonObject)?.ToDictionary(l => l.Key, l => l.Value?.GetValue<string>() ?? "");
        var annotations = (pod["metadata"]?["annotations"] as JsonObject)?.ToDictionary(l => l.Key, l => l.Value?.GetValue<string>() ?? "");
        var podSeccomp = spec["securityContext"]?["seccompProfile"] is not null;
        var podAppArmor = spec["securityContext"]?["appArmorProfile"] is not null;
        var nodeName = spec["nodeName"]?.GetValue<string>();

        var bindings = await BindingsAsync(ns, cancel).ConfigureAwait(false);
        PullCredentials? pull = null;
        var result = new List<ContainerBinding>();
        var problems = new List<string>();
        var refusals = new List<string>();
        foreach (var (path, container) in Containers(spec))
        {
            var name = container["name"]?.GetValue<string>() ?? "";
            var image = container["image"]?.GetValue<string>() ?? "";
            var wantSeccomp = !podSeccomp && container["securityContext"]?["seccompProfile"] is null;
            var wantAppArmor = bindAppArmor && !podAppArmor && container["securityContext"]?["appArmorProfile"] is null
                && annotations?.ContainsKey("container.apparmor.security.beta.kubernetes.io/" + name) != true;
            if (!wantSeccomp && !wantAppArmor)
                continue;

            var explicitBinding = bindings.FirstOrDefault(b =>
                (b.Spec.Image is null || ImagePattern.Matches(b.Spec.Image, image)) && LabelSelectors.Matches(b.Spec.PodSelector, labels));
            ContainerBinding binding;
            if (explicitBinding is not null && options.Mode == BindingMode.CriO)
            {
                // CRI-O pulls profiles from registries by the pod annotation; a resource in the cluster cannot be named there.
                problems.Add($"container {name}: ProfileBinding {explicitBinding.Metadata.Name} is not used in CRI-O mode, where profiles come from images only");
                continue;
            }
            if (explicitBinding is not null)
            {
                binding = new ContainerBinding(path, name, image, null, null,
                    wantSeccomp ? await FromResourceAsync<SeccompProfileResource>(explicitBinding, explicitBinding.Spec.SeccompProfile, problems, cancel).ConfigureAwait(false) : null,
                    wantAppArmor ? await FromResourceAsync<AppArmorProfileResource>(explicitBinding, explicitBinding.Spec.AppArmorProfile, problems, cancel).ConfigureAwait(false) : null);
            }
            else
            {
                pull ??= await credentials.ForAsync(ns,
                    (spec["imagePullSecrets"] as JsonArray ?? []).Select(s => s?["name"]?.GetValue<string>()).OfType<string>(),
                    spec["serviceAccountName"]?.GetValue<string>() ?? "default", cancel).ConfigureAwait(false);
                ResolvedImage resolved;
                try
                {
                    resolved = await resolver.ResolveAsync(image, pull, cancel).ConfigureAwait(false);
                }
                catch (OciException e)
                {
                    problems.Add($"container {name}: {RegistryErrors.Describe(e)}");
                    continue;
                }
                if (resolved.Seccomp is null && resolved.AppArmor is null)
                    continue;
                if (options.Mode == BindingMode.CriO && wantSeccomp && resolved.Seccomp is { } found)
                {
                    string? refused;
                    try
                    {
                        refused = await crioPolicy.RefusalAsync(found, pull, cancel).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is OciException or HttpRequestException)
                    {
                        problems.Add($"container {name}: seccomp profile {found.ArtifactReference} could not be judged by the cluster policy: {RegistryErrors.Describe(e)}; not annotated");
                        continue;
                    }
                    if (refused is not null)
                    {
                        refusals.Add($"container {name}: the cluster policy refuses seccomp profile {found.ArtifactReference}: {refused}");
                        continue;
                    }
                }
                binding = new ContainerBinding(path, name, image, resolved.Pinned.ToString(), resolved.Platform,
                    wantSeccomp ? FromImage(resolved.Seccomp) : null,
                    wantAppArmor && options.Mode == BindingMode.Localhost ? FromImage(resolved.AppArmor) : null);
            }
            if (binding.Seccomp is { } seccomp && options.Mode == BindingMode.Localhost && NoNewPrivileges(container)
                && seccomp.Localhost == ProfileNames.SeccompLocalhost(seccomp.ResourceName))
                binding = binding with { Seccomp = seccomp with { Localhost = ProfileNames.SeccompLocalhostNoNewPrivileges(seccomp.ResourceName) } };
            if (nodeName is not null)
                binding = await OnlyInstalledAsync(binding, nodeName, problems, cancel).ConfigureAwait(false);
            if (binding.BindsAnything)
                result.Add(binding);
        }
        return (result, problems, refusals);
    }

    private static IEnumerable<(string Path, JsonObject Container)> Containers(JsonObject spec)
    {
        foreach (var list in new[] { "initContainers", "containers" })
        {
            if (spec[list] is not JsonArray items)
                continue;
            for (var i = 0; i < items.Count; i++)
            {
                if (items[i] is JsonObject container)
                    yield return ($"/spec/{list}/{i}", container);
            }
        }
    }

    /// <summary>
    /// The kubelet sets no_new_privs exactly when allowPrivilegeEscalation is false (the restricted Pod Security Standard
    /// requires it); such a container gets the profile's no_new_privs variant, where the runtime makes fewer calls
    /// under the filter. The field cannot change after the pod is created, so the pod runs with the variant it was bound to.
    /// </summary>
    private static bool NoNewPrivileges(JsonObject container) =>
        container["securityContext"]?["allowPrivilegeEscalation"] is JsonValue value && value.TryGetValue<bool>(out var allowed) && !allowed;

    private static BoundProfile? FromImage(FoundProfile? found) => found is null ? null : new BoundProfile(
        found.Type, found.ResourceName,
        found.Type == ProfileType.Seccomp ? ProfileNames.SeccompLocalhost(found.ResourceName) : ProfileNames.AppArmorLocalhost(found.ResourceName),
        found.ArtifactReference, found.Subject.ToString(), "image");

    private async Task<BoundProfile?> FromResourceAsync<T>(ProfileBindingResource binding, string? profile, List<string> problems, CancellationToken cancel)
        where T : ProfileResource
    {
        if (profile is null)
            return null;
        var key = typeof(T).Name + "/" + profile;
        if (!_profiles.TryGet(key, out var resource))
        {
            resource = await api.GetAsync<T>(null, profile, cancel).ConfigureAwait(false);
            _profiles.Set(key, resource);
        }
        if (resource is null)
        {
            problems.Add($"ProfileBinding {binding.Metadata.Name} names {ResourceKind.Of<T>().Kind} {profile}, which does not exist");
            return null;
        }
        return new BoundProfile(resource.Type, profile, resource.Spec.LocalhostProfile, null, null, "ProfileBinding/" + binding.Metadata.Name);
    }

    /// <summary>A pod created with nodeName skips the scheduler, so no gate can hold it: bind only what that node already has.</summary>
    private async Task<ContainerBinding> OnlyInstalledAsync(ContainerBinding binding, string node, List<string> problems, CancellationToken cancel)
    {
        async Task<BoundProfile?> Check(BoundProfile? profile)
        {
            if (profile is null)
                return null;
            var status = await api.GetAsync<ProfileNodeStatusResource>(null, ProfileNames.NodeStatus(profile.Type, profile.ResourceName, node), cancel).ConfigureAwait(false);
            if (status?.Status.State == NodeState.Installed)
                return profile;
            problems.Add($"container {binding.Container}: the pod names node {node}, where {profile.Type} profile {profile.ResourceName} is not installed yet; left unconfined by it");
            return null;
        }
        return binding with { Seccomp = await Check(binding.Seccomp).ConfigureAwait(false), AppArmor = await Check(binding.AppArmor).ConfigureAwait(false) };
    }

    private async Task<IReadOnlyList<ProfileBindingResource>> BindingsAsync(string ns, CancellationToken cancel)
    {
        if (_bindings.TryGet(ns, out var found))
            return found;
        found = (await api.ListAsync<ProfileBindingResource>(ns, cancel: cancel).ConfigureAwait(false))
            .OrderBy(b => b.Metadata.Name, StringComparer.Ordinal).ToList();
        _bindings.Set(ns, found);
        return found;
    }
}
