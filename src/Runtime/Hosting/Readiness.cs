using System.Collections.Concurrent;

namespace Portcullis.Runtime.Hosting;

/// <summary>What /readyz answers: each role says when it is ready (webhook: certificate loaded; agent: first sync done).</summary>
public sealed class Readiness
{
    private readonly ConcurrentDictionary<Role, bool> _roles = new();

    public void Expect(Role role) => _roles[role] = false;

    public void Ready(Role role) => _roles[role] = true;

    public bool IsReady => _roles.Values.All(r => r);

    public IEnumerable<Role> Waiting => _roles.Where(r => !r.Value).Select(r => r.Key);
}
