namespace Portcullis.Runtime.NodeAgent;

/// <summary>What one sync did: files written and removed, statuses reported, profiles that failed.</summary>
public sealed class AgentSyncResult
{
#pragma warning disable CA1051 // counted with Interlocked from parallel installs
    public int Written;
    public int Removed;
    public int Reported;
    public int Failed;
#pragma warning restore CA1051
}
