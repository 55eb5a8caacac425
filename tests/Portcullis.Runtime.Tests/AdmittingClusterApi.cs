using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Portcullis.Runtime.Kubernetes;

namespace Portcullis.Runtime.Tests;

/// <summary>
/// The in-memory API (a FAKE: no API server runs here) behind the admission policies of the manifests: every
/// write a component makes is turned into the AdmissionRequest kube-apiserver would build (old object from the
/// store, new one after the patch) and refused with 403 when a policy says no, as a real API server would.
/// </summary>
public sealed class AdmittingClusterApi(InMemoryClusterApi store, AdmissionPolicies policies, Caller caller) : IClusterApi
{
    /// <summary>Every write: the request, and the policies that judged it with what each refused.</summary>
    public List<(JsonObject Request, IReadOnlyList<(string Policy, IReadOnlyList<string> Violations)> Verdicts)> Writes { get; } = [];

    public IEnumerable<string> Refusals => Writes.SelectMany(w => w.Verdicts.SelectMany(v => v.Violations.Select(m => $"{w.Request["operation"]} {w.Request["resource"]!["resource"]} {w.Request["name"]}: {v.Policy}: {m}")));

    public Task<IReadOnlyList<T>> ListAsync<T>(string? @namespace = null, string? labelSelector = null, CancellationToken cancel = default)
        where T : class, IKubernetesObject<V1ObjectMeta> => store.ListAsync<T>(@namespace, labelSelector, cancel);

    public Task<T?> GetAsync<T>(string? @namespace, string name, CancellationToken cancel = default)
        where T : class, IKubernetesObject<V1ObjectMeta> => store.GetAsync<T>(@namespace, name, cancel);

    public async Task<T> CreateAsync<T>(T item, CancellationToken cancel = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var kind = ResourceKind.Of<T>();
        var json = Json(item);
        json["apiVersion"] = kind.ApiVersion;
        json["kind"] = kind.Kind;
        Admit<T>("CREATE", item.Metadata.Name ?? "", item.Metadata.NamespaceProperty, json, null);
        return await store.CreateAsync(item, cancel).ConfigureAwait(false);
    }

    public async Task<T> ReplaceAsync<T>(T item, CancellationToken cancel = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var old = await store.GetAsync<T>(item.Metadata.NamespaceProperty, item.Metadata.Name, cancel).ConfigureAwait(false);
        if (old is not null)
            Admit<T>("UPDATE", item.Metadata.Name, item.Metadata.NamespaceProperty, Json(item), Json(old));
        return await store.ReplaceAsync(item, cancel).ConfigureAwait(false);
    }

    public async Task PatchAsync<T>(string? @namespace, string name, IReadOnlyList<PatchOperation> patch, CancellationToken cancel = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        if (await store.GetAsync<T>(@namespace, name, cancel).ConfigureAwait(false) is { } old)
        {
            var before = Json(old);
            JsonNode? after = null;
            try
            {
                after = JsonPatchApplier.Apply(before, new JsonArray(patch.Select(p => (JsonNode)p.ToJson()).ToArray()));
            }
            catch (InvalidOperationException)
            {
                // the store answers 422, as the API server does before admission
            }
            if (after is not null)
                Admit<T>("UPDATE", name, @namespace, after, before);
        }
        await store.PatchAsync<T>(@namespace, name, patch, cancel).ConfigureAwait(false);
    }

    public async Task DeleteAsync<T>(string? @namespace, string name, CancellationToken cancel = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        if (await store.GetAsync<T>(@namespace, name, cancel).ConfigureAwait(false) is { } old)
            Admit<T>("DELETE", name, @namespace, null, Json(old));
        await store.DeleteAsync<T>(@namespace, name, cancel).ConfigureAwait(false);
    }

    public IAsyncEnumerable<string> ChangesAsync<T>(string? labelSelector = null, CancellationToken cancel = default)
        where T : class, IKubernetesObject<V1ObjectMeta> => store.ChangesAsync<T>(labelSelector, cancel);

    public Task<(int Major, int Minor)> ServerVersionAsync(CancellationToken cancel = default) => store.ServerVersionAsync(cancel);

    private void Admit<T>(string operation, string name, string? ns, JsonNode? obj, JsonNode? old)
    {
        var request = AdmissionPolicies.Request(operation, ResourceKind.Of<T>(), name, ns, obj, old, caller);
        var verdicts = policies.Verdicts(request);
        lock (Writes)
            Writes.Add((request, verdicts));
        var refused = verdicts.SelectMany(v => v.Violations.Select(m => $"{v.Policy}: {m}")).ToList();
        if (refused.Count > 0)
            throw new ClusterApiException(HttpStatusCode.Forbidden, $"ValidatingAdmissionPolicy denied request: {string.Join("; ", refused)}");
    }

    private static JsonObject Json<T>(T item) => JsonNode.Parse(KubernetesJson.Serialize(item))!.AsObject();
}
