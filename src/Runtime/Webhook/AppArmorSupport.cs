using k8s.Models;
using Portcullis.Runtime.Hosting;
using Portcullis.Runtime.Kubernetes;

namespace Portcullis.Runtime.Webhook;

/// <summary>
/// Whether to bind AppArmor profiles. "auto": the pod field appArmorProfile exists (Kubernetes ≥ 1.30) and
/// some node's agent loads AppArmor (its node label), since a pod bound to an AppArmor profile waits for
/// such a node; asked again every 30 s.
/// </summary>
public sealed class AppArmorSupport(IClusterApi api, RuntimeOptions options, TimeProvider time)
{
    private (int Major, int Minor)? _version;
    private (bool Answer, DateTimeOffset Until)? _nodes;

    public async Task<bool> BindAsync(CancellationToken cancel)
    {
        if (options.AppArmor is "true" or "false")
            return options.AppArmor == "true";
        try
        {
            _version ??= await api.ServerVersionAsync(cancel).ConfigureAwait(false);
            if (_version.Value.Major == 1 && _version.Value.Minor < 30)
                return false;
            if (_nodes is { } cached && cached.Until > time.GetUtcNow())
                return cached.Answer;
            var any = (await api.ListAsync<V1Node>(labelSelector: $"{RuntimeNames.AppArmorLabel}=true", cancel: cancel).ConfigureAwait(false)).Count > 0;
            _nodes = (any, time.GetUtcNow() + TimeSpan.FromSeconds(30));
            return any;
        }
        catch (ClusterApiException)
        {
            return false;
        }
    }
}
