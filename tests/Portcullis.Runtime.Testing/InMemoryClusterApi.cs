using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using k8s;
using k8s.Models;
using Portcullis.Runtime.Kubernetes;

namespace Portcullis.Runtime.Testing;

/// <summary>
/// A FAKE of the Kubernetes API server — no API server can run on the build machines — behind the same
/// <see cref="IClusterApi"/> the real client implements. It keeps objects as JSON and imitates what the
/// reconcilers rely on: resourceVersion conflicts, AlreadyExists, generateName, equality label selectors,
/// finalizers (delete sets deletionTimestamp until the last one goes), JSON Patch (a failing `test` is
/// 422), and the garbage collector deleting objects whose owner is deleted. It does not validate schemas
/// or RBAC; the deploy tests check those against the manifests.
/// </summary>
public sealed class InMemoryClusterApi : IClusterApi
{
    private readonly object _gate = new();
    private readonly Dictionary<(Type, string, string), JsonObject> _objects = [];
    private readonly ConcurrentDictionary<Type, List<Channel<string>>> _watchers = new();
    private readonly List<(Func<bool> Condition, TaskCompletionSource Done)> _waiters = [];
    private long _version;

    public (int Major, int Minor) Version { get; set; } = (1, 32);

    /// <summary>Every call, as "verb kind", for tests that assert what a component wrote (or did not).</summary>
    public ConcurrentQueue<string> Calls { get; } = new();

    /// <summary>Every call with its target, for checking RBAC covers what the code does.</summary>
    public ConcurrentQueue<(string Verb, Type Type, string? Namespace, string? Name)> Requests { get; } = new();

    /// <summary>Called before each operation with (verb, kind); an exception it returns is thrown, as a failing API server would.</summary>
    public Func<string, string, Exception?>? Fault { get; set; }

    /// <summary>
    /// Completes once <paramref name="condition"/> holds, checked now and after every change and every new
    /// watch: what tests wait on instead of a timer.
    /// </summary>
    public Task WaitUntilAsync(Func<bool> condition, CancellationToken cancel)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters)
            _waiters.Add((condition, done));
        Pulse();
        return done.Task.WaitAsync(cancel);
    }

    /// <summary>How many watches of <typeparamref name="T"/> are open.</summary>
    public int Watching<T>() => _watchers.TryGetValue(typeof(T), out var list) ? Locked(list, () => list.Count) : 0;

    private static TResult Locked<TResult>(object gate, Func<TResult> read)
    {
        lock (gate)
            return read();
    }

    private void Pulse()
    {
        // Conditions read the store (its lock); never evaluate them while holding the waiters' lock.
        List<(Func<bool> Condition, TaskCompletionSource Done)> waiting;
        lock (_waiters)
            waiting = [.. _waiters];
        var met = waiting.Where(w => w.Condition()).ToList();
        lock (_waiters)
            _waiters.RemoveAll(met.Contains);
        foreach (var (_, done) in met)
            done.TrySetResult();
    }

    public int Count<T>() where T : class, IKubernetesObject<V1ObjectMeta>
    {
        lock (_gate)
            return _objects.Keys.Count(k => k.Item1 == typeof(T));
    }

    public Task<IReadOnlyList<T>> ListAsync<T>(string? @namespace = null, string? labelSelector = null, CancellationToken cancel = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        Enter("list", typeof(T), @namespace);
        var selector = Selector(labelSelector);
        lock (_gate)
        {
            IReadOnlyList<T> items = _objects
                .Where(o => o.Key.Item1 == typeof(T) && (@namespace is null || o.Key.Item2 == @namespace))
                .OrderBy(o => o.Key.Item2, StringComparer.Ordinal).ThenBy(o => o.Key.Item3, StringComparer.Ordinal)
                .Select(o => Read<T>(o.Value))
                .Where(i => selector.All(s => Matches(i.Metadata.Labels, s)))
                .ToList();
            return Task.FromResult(items);
        }
    }

    public Task<T?> GetAsync<T>(string? @namespace, string name, CancellationToken cancel = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        Enter("get", typeof(T), @namespace, name);
        lock (_gate)
            return Task.FromResult(_objects.TryGetValue(Key<T>(@namespace, name), out var json) ? Read<T>(json) : null);
    }

    public Task<T> CreateAsync<T>(T item, CancellationToken cancel = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        Enter("create", typeof(T), item.Metadata?.NamespaceProperty);
        var kind = ResourceKind.Of<T>();
        lock (_gate)
        {
            var meta = item.Metadata ?? throw new ClusterApiException(HttpStatusCode.UnprocessableEntity, "metadata is required");
            if (string.IsNullOrEmpty(meta.Name))
                meta.Name = meta.GenerateName is { Length: > 0 } prefix ? prefix + Guid.NewGuid().ToString("N")[..5] : throw new ClusterApiException(HttpStatusCode.UnprocessableEntity, "name or generateName is required");
            if (kind.Namespaced && string.IsNullOrEmpty(meta.NamespaceProperty))
                throw new ClusterApiException(HttpStatusCode.UnprocessableEntity, $"{kind.Kind} {meta.Name}: namespace is required");
            var key = Key<T>(kind.Namespaced ? meta.NamespaceProperty : null, meta.Name);
            if (_objects.ContainsKey(key))
                throw new ClusterApiException(HttpStatusCode.Conflict, $"{kind.Plural} \"{meta.Name}\" already exists");
            meta.Uid = Guid.NewGuid().ToString();
            meta.CreationTimestamp ??= DateTime.UtcNow;
            meta.ResourceVersion = Next();
            item.ApiVersion = kind.ApiVersion;
            item.Kind = kind.Kind;
            _objects[key] = Write(item);
            Notify<T>(meta.Name);
            return Task.FromResult(Read<T>(_objects[key]));
        }
    }

    public Task<T> ReplaceAsync<T>(T item, CancellationToken cancel = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        Enter("replace", typeof(T), item.Metadata.NamespaceProperty, item.Metadata.Name);
        var kind = ResourceKind.Of<T>();
        lock (_gate)
        {
            var key = Key<T>(kind.Namespaced ? item.Metadata.NamespaceProperty : null, item.Metadata.Name);
            if (!_objects.TryGetValue(key, out var stored))
                throw new ClusterApiException(HttpStatusCode.NotFound, $"{kind.Plural} \"{item.Metadata.Name}\" not found");
            var current = Read<T>(stored);
            if (item.Metadata.ResourceVersion is { Length: > 0 } rv && rv != current.Metadata.ResourceVersion)
                throw new ClusterApiException(HttpStatusCode.Conflict, $"{kind.Plural} \"{item.Metadata.Name}\": the object has been modified");
            item.Metadata.Uid = current.Metadata.Uid;
            item.Metadata.CreationTimestamp = current.Metadata.CreationTimestamp;
            item.Metadata.DeletionTimestamp = current.Metadata.DeletionTimestamp;
            item.Metadata.ResourceVersion = Next();
            Store(key, item);
            return Task.FromResult(_objects.TryGetValue(key, out var after) ? Read<T>(after) : item);
        }
    }

    public Task PatchAsync<T>(string? @namespace, string name, IReadOnlyList<PatchOperation> patch, CancellationToken cancel = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        Enter("patch", typeof(T), @namespace, name);
        lock (_gate)
        {
            var key = Key<T>(@namespace, name);
            if (!_objects.TryGetValue(key, out var stored))
                throw new ClusterApiException(HttpStatusCode.NotFound, $"{name} not found");
            JsonNode patched;
            try
            {
                patched = JsonPatchApplier.Apply(stored, new JsonArray(patch.Select(p => (JsonNode)p.ToJson()).ToArray()));
            }
            catch (InvalidOperationException e)
            {
                throw new ClusterApiException(HttpStatusCode.UnprocessableEntity, e.Message);
            }
            var item = Read<T>((JsonObject)patched);
            item.Metadata.ResourceVersion = Next();
            Store(key, item);
        }
        return Task.CompletedTask;
    }

    public Task DeleteAsync<T>(string? @namespace, string name, CancellationToken cancel = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        Enter("delete", typeof(T), @namespace, name);
        lock (_gate)
        {
            var key = Key<T>(@namespace, name);
            if (!_objects.TryGetValue(key, out var stored))
                return Task.CompletedTask;
            var item = Read<T>(stored);
            if (item.Metadata.Finalizers is { Count: > 0 })
            {
                item.Metadata.DeletionTimestamp ??= DateTime.UtcNow;
                item.Metadata.ResourceVersion = Next();
                _objects[key] = Write(item);
                Notify<T>(name);
            }
            else
            {
                Remove(key, item.Metadata.Uid);
            }
        }
        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<string> ChangesAsync<T>(string? labelSelector = null, [EnumeratorCancellation] CancellationToken cancel = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        Enter("watch", typeof(T));
        var channel = Channel.CreateUnbounded<string>();
        var list = _watchers.GetOrAdd(typeof(T), _ => []);
        lock (list)
            list.Add(channel);
        Pulse();
        try
        {
            await foreach (var name in channel.Reader.ReadAllAsync(cancel).ConfigureAwait(false))
                yield return name;
        }
        finally
        {
            lock (list)
                list.Remove(channel);
        }
    }

    public Task<(int Major, int Minor)> ServerVersionAsync(CancellationToken cancel = default) => Task.FromResult(Version);

    private void Store<T>((Type, string, string) key, T item) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        if (item.Metadata.DeletionTimestamp is not null && item.Metadata.Finalizers is not { Count: > 0 })
        {
            Remove(key, item.Metadata.Uid);
            return;
        }
        _objects[key] = Write(item);
        Notify<T>(item.Metadata.Name);
    }

    /// <summary>Deletes the object and, like the API server's garbage collector, everything it owns.</summary>
    private void Remove((Type, string, string) key, string? uid)
    {
        _objects.Remove(key);
        NotifyType(key.Item1, key.Item3);
        if (uid is null)
            return;
        foreach (var owned in _objects.Where(o => o.Value["metadata"]?["ownerReferences"] is JsonArray refs && refs.Any(r => r?["uid"]?.GetValue<string>() == uid)).Select(o => o.Key).ToList())
            Remove(owned, _objects[owned]["metadata"]?["uid"]?.GetValue<string>());
    }

    private void Notify<T>(string name) => NotifyType(typeof(T), name);

    private void NotifyType(Type type, string name)
    {
        if (_watchers.TryGetValue(type, out var list))
        {
            lock (list)
            {
                foreach (var channel in list)
                    channel.Writer.TryWrite(name);
            }
        }
        Pulse();
    }

    private void Enter(string verb, Type type, string? ns = null, string? name = null)
    {
        var kind = ResourceKind.Of(type).Kind;
        Calls.Enqueue($"{verb} {kind}");
        Requests.Enqueue((verb, type, ns, name));
        if (Fault?.Invoke(verb, kind) is { } failure)
            throw failure;
    }

    private string Next() => Interlocked.Increment(ref _version).ToString(CultureInfo.InvariantCulture);

    private static (Type, string, string) Key<T>(string? ns, string name) => (typeof(T), ResourceKind.Of<T>().Namespaced ? ns ?? "" : "", name);

    private static JsonObject Write<T>(T item) => (JsonObject)JsonNode.Parse(KubernetesJson.Serialize(item))!;

    private static T Read<T>(JsonObject json) => KubernetesJson.Deserialize<T>(json.ToJsonString());

    private static List<(string Key, string? Value)> Selector(string? text) =>
        string.IsNullOrEmpty(text) ? [] : text.Split(',').Select(p => p.Split('=', 2)).Select(p => (p[0], p.Length == 2 ? p[1] : null)).ToList();

    private static bool Matches(IDictionary<string, string>? labels, (string Key, string? Value) requirement) =>
        labels is not null && labels.TryGetValue(requirement.Key, out var v) && (requirement.Value is null || v == requirement.Value);
}
