using System.Collections.Concurrent;

namespace Portcullis.Runtime.Hosting;

/// <summary>What /readyz answers: each role says when it is ready (webhook: certificate loaded; agent: first sync done).</summary>
public sealed class Readiness
{
    private readonly ConcurrentDictionary<Role, bool> _roles = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Expect(Role role) => _roles[role] = false;

    public void Ready(Role role)
    {
        _roles[role] = true;
        if (IsReady)
            _ready.TrySetResult();
    }

    public bool IsReady => _roles.Values.All(r => r);

    public IEnumerable<Role> Waiting => _roles.Where(r => !r.Value).Select(r => r.Key);

    /// <summary>Completes once every expected role has said it is ready (for callers that wait on the event, not on a timer).</summary>
    public Task WhenReadyAsync(CancellationToken cancel) => IsReady ? Task.CompletedTask : _ready.Task.WaitAsync(cancel);
}
