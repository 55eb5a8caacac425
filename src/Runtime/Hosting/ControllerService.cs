using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Portcullis.Runtime.Controller;
using Portcullis.Runtime.Kubernetes;
using Portcullis.Runtime.Resources;

namespace Portcullis.Runtime.Hosting;

/// <summary>Runs the controller's passes while this replica holds the lease (always, against an API without leases, as in tests).</summary>
public sealed class ControllerService(IClusterApi api, ProfileReconciler reconciler, WebhookCertificates certificates, RuntimeOptions options, ILogger<ControllerService> log, TimeProvider? clock = null) : BackgroundService
{
    private readonly TimeProvider _time = clock ?? TimeProvider.System;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (api is not KubernetesClusterApi real)
        {
            await RunAsync(stoppingToken).ConfigureAwait(false);
            return;
        }
        var identity = Environment.GetEnvironmentVariable("POD_NAME") ?? Environment.MachineName;
        var lease = new LeaseLock(real.Client, options.Namespace, options.LeaseName, identity);
        using var elector = new LeaderElector(new LeaderElectionConfig(lease)
        {
            LeaseDuration = TimeSpan.FromSeconds(15),
            RenewDeadline = TimeSpan.FromSeconds(10),
            RetryPeriod = TimeSpan.FromSeconds(2),
        });
        CancellationTokenSource? leading = null;
        Task? running = null;
        // A loop that faults stops renewing at once: the lease passes to a replica that works, and this one exits.
        using var electing = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        elector.OnStartedLeading += () =>
        {
            log.LogInformation("{Identity} leads the controller", identity);
            leading = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            running = RunAsync(leading.Token);
            running.ContinueWith(_ => electing.Cancel(), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        };
        elector.OnStoppedLeading += () => leading?.Cancel();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await elector.RunUntilLeadershipLostAsync(electing.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning("leader election: {Why}", e.Message);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
            }
            leading?.Cancel();
            if (running is not null)
            {
                await running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (running.IsFaulted)
                    await running.ConfigureAwait(false); // ends ExecuteAsync: the host stops and Program exits non-zero
            }
            await Task.Delay(TimeSpan.FromSeconds(2), _time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task RunAsync(CancellationToken cancel)
    {
        try
        {
            await LoopAsync(cancel).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancel.IsCancellationRequested)
        {
            log.LogCritical(e, "the controller loop failed; giving up the lease and exiting");
            throw;
        }
    }

    private async Task LoopAsync(CancellationToken cancel)
    {
        var trigger = new ChangeTrigger(_time);
        reconciler.Fetched += trigger.Fire;
        try
        {
            await PassesAsync(trigger, cancel).ConfigureAwait(false);
        }
        finally
        {
            reconciler.Fetched -= trigger.Fire;
        }
    }

    private async Task PassesAsync(ChangeTrigger trigger, CancellationToken cancel)
    {
        trigger.Watch<V1Pod>(api, $"{RuntimeNames.BoundLabel}=true", cancel);
        trigger.Watch<ProfileNodeStatusResource>(api, null, cancel);
        trigger.Watch<SeccompProfileResource>(api, null, cancel);
        trigger.Watch<AppArmorProfileResource>(api, null, cancel);
        trigger.Watch<V1Node>(api, null, cancel);
        while (!cancel.IsCancellationRequested)
        {
            try
            {
                await certificates.EnsureAsync(cancel).ConfigureAwait(false);
                var pass = await reconciler.ReconcileAsync(cancel).ConfigureAwait(false);
                if (pass.ProfilesCreated + pass.GatesRemoved + pass.ProfilesDeleted > 0)
                    log.LogInformation("profiles created {Created}, gates lifted {Lifted}, still gated {Gated}, collected {Deleted}", pass.ProfilesCreated, pass.GatesRemoved, pass.StillGated, pass.ProfilesDeleted);
            }
            catch (Exception e) when (e is ClusterApiException or HttpRequestException)
            {
                RuntimeMetrics.Errors.WithLabels("controller", "reconcile").Inc();
                log.LogWarning("reconcile: {Why}", e.Message);
            }
            await trigger.WaitAsync(TimeSpan.FromSeconds(30), cancel).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}
