using k8s;
using k8s.Models;

namespace Portcullis.Runtime.Kubernetes;

/// <summary>
/// The part of the Kubernetes API the runtime uses, and nothing more: the one seam between the reconcilers
/// and the API server. <see cref="KubernetesClusterApi"/> is the real thing; tests use an in-memory
/// implementation. Updates are whole-object replaces guarded by resourceVersion, so a stale write fails
/// with <see cref="ClusterApiException.IsConflict"/> and the next reconcile retries from fresh state.
/// </summary>
public interface IClusterApi
{
    Task<IReadOnlyList<T>> ListAsync<T>(string? @namespace = null, string? labelSelector = null, CancellationToken cancel = default)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    Task<T?> GetAsync<T>(string? @namespace, string name, CancellationToken cancel = default)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    Task<T> CreateAsync<T>(T item, CancellationToken cancel = default)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    Task<T> ReplaceAsync<T>(T item, CancellationToken cancel = default)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>
    /// An RFC 6902 JSON Patch, for objects the runtime does not own (pods, nodes): a whole-object replace
    /// through a client model would drop fields newer than the model.
    /// </summary>
    Task PatchAsync<T>(string? @namespace, string name, IReadOnlyList<PatchOperation> patch, CancellationToken cancel = default)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>Deletes the object; an object already gone is not an error.</summary>
    Task DeleteAsync<T>(string? @namespace, string name, CancellationToken cancel = default)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>Yields once each time an object of <typeparamref name="T"/> (matching the selector) changes; the caller re-reads.</summary>
    IAsyncEnumerable<string> ChangesAsync<T>(string? labelSelector = null, CancellationToken cancel = default)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>The API server's version as (major, minor), e.g. (1, 32).</summary>
    Task<(int Major, int Minor)> ServerVersionAsync(CancellationToken cancel = default);
}
