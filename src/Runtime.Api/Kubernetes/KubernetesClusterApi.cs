using System.Net;
using System.Runtime.CompilerServices;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Portcullis.Runtime.Kubernetes;

/// <summary><see cref="IClusterApi"/> over a real API server (in cluster, or through a kubeconfig).</summary>
public sealed class KubernetesClusterApi(IKubernetes client) : IClusterApi, IDisposable
{
    private const int PageSize = 500;

    public static KubernetesClusterApi Connect(string? kubeconfig)
    {
        var config = kubeconfig is not null
            ? KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig)
            : KubernetesClientConfiguration.IsInCluster()
                ? KubernetesClientConfiguration.InClusterConfig()
                : KubernetesClientConfiguration.BuildDefaultConfig();
        return new KubernetesClusterApi(new k8s.Kubernetes(config));
    }

    public IKubernetes Client => client;

    public async Task<IReadOnlyList<T>> ListAsync<T>(string? @namespace = null, string? labelSelector = null, CancellationToken cancel = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        using var generic = Generic<T>();
        var items = new List<T>();
        string? next = null;
        do
        {
            var page = await Call(() => @namespace is not null && ResourceKind.Of<T>().Namespaced
                ? generic.ListNamespacedAsync<ResourceList<T>>(@namespace, labelSelector, null, PageSize, next, cancel)
                : generic.ListAsync<ResourceList<T>>(labelSelector, null, PageSize, next, cancel)).ConfigureAwait(false);
            items.AddRange(page.Items);
            next = page.Metadata?.ContinueProperty;
        }
        while (!string.IsNullOrEmpty(next));
        return items;
    }

    public async Task<T?> GetAsync<T>(string? @namespace, string name, CancellationToken cancel = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        using var generic = Generic<T>();
        try
        {
            return await Call(() => @namespace is not null
                ? generic.ReadNamespacedAsync<T>(@namespace, name, cancel)
                : generic.ReadAsync<T>(name, cancel)).ConfigureAwait(false);
        }
        catch (ClusterApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    public async Task<T> CreateAsync<T>(T item, CancellationToken cancel = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        using var generic = Generic<T>();
        Stamp(item);
        return await Call(() => item.Metadata.NamespaceProperty is { } ns
            ? generic.CreateNamespacedAsync(item, ns, cancel)
            : generic.CreateAsync(item, cancel)).ConfigureAwait(false);
    }

    public async Task<T> ReplaceAsync<T>(T item, CancellationToken cancel = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        using var generic = Generic<T>();
        Stamp(item);
        return await Call(() => item.Metadata.NamespaceProperty is { } ns
            ? generic.ReplaceNamespacedAsync(item, ns, item.Metadata.Name, cancel)
            : generic.ReplaceAsync(item, item.Metadata.Name, cancel)).ConfigureAwait(false);
    }

    public async Task PatchAsync<T>(string? @namespace, string name, IReadOnlyList<PatchOperation> patch, CancellationToken cancel = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        using var generic = Generic<T>();
        var body = new V1Patch(new System.Text.Json.Nodes.JsonArray(patch.Select(p => (System.Text.Json.Nodes.JsonNode)p.ToJson()).ToArray()).ToJsonString(), V1Patch.PatchType.JsonPatch);
        await Call(() => @namespace is not null
            ? generic.PatchNamespacedAsync<T>(body, @namespace, name, cancel)
            : generic.PatchAsync<T>(body, name, cancel)).ConfigureAwait(false);
    }

    public async Task DeleteAsync<T>(string? @namespace, string name, CancellationToken cancel = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        using var generic = Generic<T>();
        try
        {
            await Call(() => @namespace is not null
                ? generic.DeleteNamespacedAsync<V1Status>(@namespace, name, cancel)
                : generic.DeleteAsync<V1Status>(name, cancel)).ConfigureAwait(false);
        }
        catch (ClusterApiException e) when (e.IsNotFound)
        {
        }
    }

    public async IAsyncEnumerable<string> ChangesAsync<T>(string? labelSelector = null, [EnumeratorCancellation] CancellationToken cancel = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var kind = ResourceKind.Of<T>();
        var backoff = TimeSpan.FromSeconds(1);
        while (!cancel.IsCancellationRequested)
        {
            // A watch ends every few minutes by design; reconnecting is the normal path, and the caller re-lists anyway.
            var failed = false;
            void OnError(Exception _) => failed = true;
            var events = kind.Plural switch
            {
                "pods" => Names(client.CoreV1.WatchListPodForAllNamespacesAsync(labelSelector: labelSelector, onError: OnError, cancellationToken: cancel)),
                "nodes" => Names(client.CoreV1.WatchListNodeAsync(labelSelector: labelSelector, onError: OnError, cancellationToken: cancel)),
                _ when kind.Group.Length > 0 => Names(client.CustomObjects.WatchListClusterCustomObjectAsync(kind.Group, kind.Version, kind.Plural, labelSelector: labelSelector, onError: OnError, cancellationToken: cancel)),
                _ => throw new InvalidOperationException($"no watch for {kind.Plural}"),
            };
            await using var enumerator = events.GetAsyncEnumerator(cancel);
            while (true)
            {
                bool more;
                try
                {
                    more = await enumerator.MoveNextAsync().ConfigureAwait(false);
                }
                catch (Exception e) when (e is HttpOperationException or HttpRequestException or IOException && !cancel.IsCancellationRequested)
                {
                    failed = true;
                    more = false;
                }
                if (!more)
                    break;
                backoff = TimeSpan.FromSeconds(1);
                yield return enumerator.Current;
            }
            yield return "";
            if (failed)
            {
                await Task.Delay(backoff, cancel).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }

    private static async IAsyncEnumerable<string> Names<TItem>(IAsyncEnumerable<(WatchEventType, TItem)> events)
    {
        await foreach (var (_, item) in events.ConfigureAwait(false))
            yield return item switch
            {
                IMetadata<V1ObjectMeta> typed => typed.Metadata?.Name ?? "",
                // custom objects arrive untyped
                System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Object } json
                    when json.TryGetProperty("metadata", out var meta) && meta.TryGetProperty("name", out var name) => name.GetString() ?? "",
                _ => "",
            };
    }

    public async Task<(int Major, int Minor)> ServerVersionAsync(CancellationToken cancel = default)
    {
        var version = await Call(() => client.Version.GetCodeAsync(cancel)).ConfigureAwait(false);
        return (ParseLeadingInt(version.Major), ParseLeadingInt(version.Minor));
    }

    private static int ParseLeadingInt(string text) =>
        int.TryParse(new string(text.TakeWhile(char.IsAsciiDigit).ToArray()), out var n) ? n : 0;

    public void Dispose() => client.Dispose();

    private GenericClient Generic<T>()
    {
        var kind = ResourceKind.Of<T>();
        return kind.Group.Length == 0
            ? new GenericClient(client, kind.Version, kind.Plural, disposeClient: false)
            : new GenericClient(client, kind.Group, kind.Version, kind.Plural, disposeClient: false);
    }

    private static void Stamp<T>(T item) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var kind = ResourceKind.Of<T>();
        item.ApiVersion ??= kind.ApiVersion;
        item.Kind ??= kind.Kind;
    }

    private static async Task<TResult> Call<TResult>(Func<Task<TResult>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (HttpOperationException e)
        {
            throw new ClusterApiException(e.Response.StatusCode, $"API server: {(int)e.Response.StatusCode} {Truncate(e.Response.Content)}", e);
        }
        catch (HttpRequestException e)
        {
            throw new ClusterApiException(HttpStatusCode.ServiceUnavailable, "API server unreachable: " + e.Message, e);
        }
    }

    private static string Truncate(string? text) => text is null ? "" : text.Length <= 300 ? text : text[..300];
}
