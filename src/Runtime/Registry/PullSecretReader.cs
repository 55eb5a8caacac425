using System.Text;
using System.Text.Json;
using k8s.Models;
using Portcullis.Oci.Transport;

namespace Portcullis.Runtime.Registry;

/// <summary>Registry credentials from `kubernetes.io/dockerconfigjson` and legacy `kubernetes.io/dockercfg` Secrets, first secret first, as the kubelet reads them.</summary>
public static class PullSecretReader
{
    public static PullCredentials Read(IEnumerable<V1Secret> secrets)
    {
        var found = new Dictionary<string, RegistryCredentials>(StringComparer.Ordinal);
        // The manager may read any Secret it is named (RBAC cannot filter by type): it uses only pull secrets.
        foreach (var secret in secrets.Where(s => s.Type is "kubernetes.io/dockerconfigjson" or "kubernetes.io/dockercfg"))
        {
            JsonElement? auths = null;
            JsonDocument? document = null;
            try
            {
                if (secret.Data?.TryGetValue(".dockerconfigjson", out var json) == true)
                {
                    document = JsonDocument.Parse(json);
                    auths = document.RootElement.TryGetProperty("auths", out var a) ? a : null;
                }
                else if (secret.Data?.TryGetValue(".dockercfg", out var cfg) == true)
                {
                    document = JsonDocument.Parse(cfg);
                    auths = document.RootElement;
                }
                if (auths is not { ValueKind: JsonValueKind.Object } entries)
                    continue;
                foreach (var entry in entries.EnumerateObject())
                {
                    var host = RegistryHost.Normalize(entry.Name);
                    if (!found.ContainsKey(host) && Credentials(entry.Value) is { } credentials)
                        found[host] = credentials;
                }
            }
            catch (JsonException)
            {
                // A malformed secret gives no credentials, as for the kubelet; the pull then fails on its own.
            }
            finally
            {
                document?.Dispose();
            }
        }
        return found.Count == 0 ? PullCredentials.None : new PullCredentials(found);
    }

    private static RegistryCredentials? Credentials(JsonElement entry)
    {
        if (entry.ValueKind != JsonValueKind.Object)
            return null;
        if (entry.TryGetProperty("username", out var user) && entry.TryGetProperty("password", out var password)
            && user.GetString() is { Length: > 0 } u && password.GetString() is { } p)
            return new RegistryCredentials(u, p);
        if (entry.TryGetProperty("auth", out var auth) && auth.GetString() is { Length: > 0 } encoded)
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            }
            catch (FormatException)
            {
                return null;
            }
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon > 0 ? new RegistryCredentials(decoded[..colon], decoded[(colon + 1)..]) : null;
        }
        return null;
    }
}
