using System.Security.Cryptography;
using System.Text;
using Portcullis.Oci.Transport;

namespace Portcullis.Runtime.Registry;

/// <summary>
/// The registry credentials one pod may use (its imagePullSecrets and its service account's), by registry
/// host. <see cref="Key"/> fingerprints them so that clients, lookups and caches are never shared between
/// pods with different credentials; it is an HMAC under a key made at process start, so a fingerprint seen
/// in memory or a log cannot be tested against guessed passwords.
/// </summary>
public sealed class PullCredentials
{
    private static readonly byte[] ProcessKey = RandomNumberGenerator.GetBytes(32);

    public static PullCredentials None { get; } = new(new Dictionary<string, RegistryCredentials>());

    private readonly IReadOnlyDictionary<string, RegistryCredentials> _byRegistry;

    public PullCredentials(IReadOnlyDictionary<string, RegistryCredentials> byRegistry)
    {
        _byRegistry = byRegistry;
        var text = string.Join('\n', byRegistry.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}\0{e.Value.Username}\0{e.Value.Password}"));
        Key = byRegistry.Count == 0 ? "" : Convert.ToHexStringLower(HMACSHA256.HashData(ProcessKey, Encoding.UTF8.GetBytes(text)));
    }

    public string Key { get; }

    public RegistryCredentials? For(string registry) =>
        _byRegistry.TryGetValue(RegistryHost.Normalize(registry), out var found) ? found : null;

    /// <summary>
    /// The same credentials, also under the address each registry is reached at (a mirror of name → host):
    /// secrets name the registry as pods do, requests go to the mirror.
    /// </summary>
    public PullCredentials WithMirrors(IReadOnlyDictionary<string, string> mirrors)
    {
        if (mirrors.Count == 0 || _byRegistry.Count == 0)
            return this;
        var all = new Dictionary<string, RegistryCredentials>(_byRegistry, StringComparer.Ordinal);
        foreach (var (name, host) in mirrors)
        {
            if (For(name) is { } credentials)
                all.TryAdd(RegistryHost.Normalize(host), credentials);
        }
        return new PullCredentials(all);
    }
}
