using System.Threading.Channels;
using k8s;
using k8s.Models;
using Portcullis.Runtime.Kubernetes;

namespace Portcullis.Runtime.Hosting;

/// <summary>
/// Wakes a level-triggered loop: any watched change, or the resync period passing. Changes that arrive
/// while a pass runs collapse into one more pass.
/// </summary>
public sealed class ChangeTrigger(TimeProvider time)
{
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Fire() => _signal.Writer.TryWrite(true);

    public void Watch<T>(IClusterApi api, string? labelSelector, CancellationToken cancel) where T : class, IKubernetesObject<V1ObjectMeta> =>
        _ = Task.Run(async () =>
        {
            try
            {
                await foreach (var _ in api.ChangesAsync<T>(labelSelector, cancel).ConfigureAwait(false))
                    Fire();
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
            }
        }, cancel);

    /// <summary>Waits for a change or for <paramref name="period"/> on the injected clock; changes already queued collapse into this wake-up.</summary>
    public async Task WaitAsync(TimeSpan period, CancellationToken cancel)
    {
        using var timeout = new CancellationTokenSource(period, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancel, timeout.Token);
        try
        {
            await _signal.Reader.ReadAsync(either.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
        }
    }
}
