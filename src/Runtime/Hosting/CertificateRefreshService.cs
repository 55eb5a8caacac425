using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Portcullis.Runtime.Kubernetes;

namespace Portcullis.Runtime.Hosting;

/// <summary>Reloads the webhook's serving certificate every 30 s; the webhook is ready once it has one.</summary>
public sealed class CertificateRefreshService(ServingCertificate certificate, Readiness readiness, TimeProvider time, ILogger<CertificateRefreshService> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await certificate.RefreshAsync(stoppingToken).ConfigureAwait(false);
                if (certificate.Current is not null)
                    readiness.Ready(Role.Webhook);
            }
            catch (Exception e) when (e is ClusterApiException or IOException or System.Security.Cryptography.CryptographicException)
            {
                log.LogWarning("serving certificate: {Why}", e.Message);
            }
            var period = certificate.Current is null ? TimeSpan.FromSeconds(2) : TimeSpan.FromSeconds(30);
            await Task.Delay(period, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}
