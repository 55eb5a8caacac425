using System.Collections.Concurrent;
using Portcullis.Runtime.Hosting;
using Portcullis.Runtime.Resources;

namespace Portcullis.Runtime.Controller;

/// <summary>
/// Registry fetches run beside the controller's passes, never inside one: a pass starts what is missing and
/// goes on to lift the gates it can, so a slow or failing registry holds back only the profiles it serves.
/// One fetch per profile at a time, at most <see cref="RuntimeOptions.MaxConcurrentFetches"/> at once, each
/// within <see cref="RuntimeOptions.FetchDeadline"/> on the injected clock; <see cref="Finished"/> fires when
/// one ends, so the controller makes another pass.
/// </summary>
public sealed class ProfileFetches(RuntimeOptions options, TimeProvider time) : IDisposable
{
    private readonly ConcurrentDictionary<(ProfileType, string), Task> _running = new();
    private readonly SemaphoreSlim _slots = new(options.MaxConcurrentFetches);
    private int _created;

    public event Action? Finished;

    public int Running => _running.Count;

    /// <summary>
    /// Starts <paramref name="fetch"/> (true: it made a profile) unless one for <paramref name="key"/> runs;
    /// <paramref name="timedOut"/> is called, with <paramref name="stopping"/>, when the deadline cuts it off.
    /// </summary>
    public void Start((ProfileType, string) key, Func<CancellationToken, Task<bool>> fetch, Func<CancellationToken, Task> timedOut, CancellationToken stopping)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_running.TryAdd(key, done.Task))
            return;
        _ = Task.Run(async () =>
        {
            try
            {
                await _slots.WaitAsync(stopping).ConfigureAwait(false);
                try
                {
                    using var deadline = new CancellationTokenSource(options.FetchDeadline, time);
                    using var either = CancellationTokenSource.CreateLinkedTokenSource(stopping, deadline.Token);
                    try
                    {
                        if (await fetch(either.Token).ConfigureAwait(false))
                            Interlocked.Increment(ref _created);
                    }
                    catch (OperationCanceledException) when (deadline.IsCancellationRequested && !stopping.IsCancellationRequested)
                    {
                        RuntimeMetrics.Errors.WithLabels("controller", "fetch-deadline").Inc();
                        await timedOut(stopping).ConfigureAwait(false);
                    }
                }
                finally
                {
                    _slots.Release();
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // this replica stopped leading; the next leader fetches again
            }
            finally
            {
                _running.TryRemove(key, out _);
                done.SetResult();
                Finished?.Invoke();
            }
        }, CancellationToken.None);
    }

    /// <summary>How many profiles fetches made since the last call.</summary>
    public int TakeCreated() => Interlocked.Exchange(ref _created, 0);

    /// <summary>Completes when every fetch started so far has ended; how many profiles they made.</summary>
    public async Task<int> IdleAsync(CancellationToken cancel)
    {
        await Task.WhenAll(_running.Values).WaitAsync(cancel).ConfigureAwait(false);
        return TakeCreated();
    }

    public void Dispose() => _slots.Dispose();
}
