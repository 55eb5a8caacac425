using k8s.Models;
using Portcullis.Runtime.Kubernetes;
using Portcullis.Runtime.Registry;

namespace Portcullis.Runtime.Webhook;

/// <summary>
/// A pod's registry credentials as the kubelet would use them: its imagePullSecrets, then its service
/// account's. Secrets and service accounts are read through the API and kept for a minute.
/// </summary>
public sealed class PodCredentialsSource(IClusterApi api, TimeProvider time)
{
    private readonly ExpiringCache<string, V1Secret?> _secrets = new(time, TimeSpan.FromSeconds(60), 10_000);
    private readonly ExpiringCache<string, V1ServiceAccount?> _accounts = new(time, TimeSpan.FromSeconds(60), 10_000);

    public async Task<PullCredentials> ForAsync(string ns, IEnumerable<string> podSecrets, string? serviceAccount, CancellationToken cancel)
    {
        var names = podSecrets.ToList();
        if (serviceAccount is { Length: > 0 })
        {
            var key = ns + "/" + serviceAccount;
            if (!_accounts.TryGet(key, out var account))
            {
                account = await api.GetAsync<V1ServiceAccount>(ns, serviceAccount, cancel).ConfigureAwait(false);
                _accounts.Set(key, account);
            }
            names.AddRange(account?.ImagePullSecrets?.Select(s => s.Name).OfType<string>() ?? []);
        }
        var secrets = new List<V1Secret>();
        foreach (var name in names.Distinct(StringComparer.Ordinal))
        {
            var key = ns + "/" + name;
            if (!_secrets.TryGet(key, out var secret))
            {
                secret = await api.GetAsync<V1Secret>(ns, name, cancel).ConfigureAwait(false);
                _secrets.Set(key, secret);
            }
            if (secret is not null)
                secrets.Add(secret);
        }
        return secrets.Count == 0 ? PullCredentials.None : PullSecretReader.Read(secrets);
    }
}
