using Portcullis.Runtime.Hosting;
using Portcullis.Runtime.Kubernetes;

namespace Portcullis.Runtime.Webhook;

/// <summary>Whether to bind AppArmor profiles: the pod field appArmorProfile exists from Kubernetes 1.30; "auto" asks the API server once.</summary>
public sealed class AppArmorSupport(IClusterApi api, RuntimeOptions options)
{
    private bool? _answer;

    public async Task<bool> BindAsync(CancellationToken cancel)
    {
        if (_answer is { } known)
            return known;
        if (options.AppArmor is "true" or "false")
            return (_answer = options.AppArmor == "true").Value;
        try
        {
            var (major, minor) = await api.ServerVersionAsync(cancel).ConfigureAwait(false);
            return (_answer = major > 1 || (major == 1 && minor >= 30)).Value;
        }
        catch (ClusterApiException)
        {
            return false;
        }
    }
}
