using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Portcullis.Runtime.Kubernetes;
using Portcullis.Runtime.NodeAgent;
using Portcullis.Runtime.Resources;

namespace Portcullis.Runtime.Hosting;

/// <summary>The node agent's loop: stale temps out, then a sync on every profile change and every resync period; uninstall on the way out if its DaemonSet is gone.</summary>
public sealed class AgentService(IClusterApi api, ProfileAgent agent, Readiness readiness, RuntimeOptions options, ILogger<AgentService> log, TimeProvider? clock = null) : BackgroundService
{
    private readonly TimeProvider _time = clock ?? TimeProvider.System;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var stale = agent.RemoveStaleTemps();
        if (stale > 0)
            log.LogInformation("removed {Count} temp files an earlier run left", stale);
        var trigger = new ChangeTrigger(_time);
        trigger.Watch<SeccompProfileResource>(api, null, stoppingToken);
        trigger.Watch<AppArmorProfileResource>(api, null, stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var result = await agent.SyncAsync(stoppingToken).ConfigureAwait(false);
                readiness.Ready(Role.Agent);
                if (result.Written + result.Removed > 0)
                    log.LogInformation("wrote {Written}, removed {Removed}, failed {Failed}", result.Written, result.Removed, result.Failed);
            }
            catch (Exception e) when (e is ClusterApiException or HttpRequestException or InvalidOperationException or IOException)
            {
                RuntimeMetrics.Errors.WithLabels("agent", "sync").Inc();
                log.LogWarning("sync: {Why}", e.Message);
            }
            await trigger.WaitAsync(options.ResyncInterval, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (await agent.IsBeingUninstalledAsync(cancellationToken).ConfigureAwait(false))
            {
                if (await agent.UninstallAsync(cancellationToken).ConfigureAwait(false) is { } left)
                    log.LogWarning("uninstall incomplete: {Left}", left);
                else
                    log.LogInformation("uninstalled: profiles, statuses and node labels removed");
            }
        }
        catch (Exception e) when (e is ClusterApiException or HttpRequestException or IOException)
        {
            log.LogWarning("uninstall check: {Why}", e.Message);
        }
    }
}
