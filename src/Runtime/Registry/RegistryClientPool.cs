using System.Collections.Concurrent;
using Portcullis.Oci;
using Portcullis.Oci.Transport;

namespace Portcullis.Runtime.Registry;

/// <summary>
/// One <see cref="RegistryClient"/> per set of credentials: connections and bearer tokens are reused between
/// admissions of pods with the same pull secrets and never between pods with different ones.
/// </summary>
/// <param name="handlers">makes each client's own HTTP stack (a client disposes its handler); otherwise <paramref name="handler"/>, shared</param>
public sealed class RegistryClientPool(RegistryOptions baseOptions, HttpMessageHandler? handler = null, Func<HttpMessageHandler>? handlers = null) : IDisposable
{
    private const int MaxClients = 256;
    private readonly ConcurrentDictionary<string, Lazy<RegistryClient>> _clients = new(StringComparer.Ordinal);

    public RegistryClient For(PullCredentials credentials)
    {
        if (_clients.Count >= MaxClients && !_clients.ContainsKey(credentials.Key))
        {
            // Rare (that many distinct pull secrets): start over rather than track use; clients refill on demand.
            foreach (var key in _clients.Keys.ToList())
            {
                if (_clients.TryRemove(key, out var old) && old.IsValueCreated)
                    old.Value.Dispose();
            }
        }
        return _clients.GetOrAdd(credentials.Key, _ => new Lazy<RegistryClient>(() =>
            new RegistryClient(baseOptions with { Credentials = credentials.For }, handlers?.Invoke() ?? handler))).Value;
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values.Where(c => c.IsValueCreated))
            client.Value.Dispose();
    }
}
