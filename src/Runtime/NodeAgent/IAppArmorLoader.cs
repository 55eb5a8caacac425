namespace Portcullis.Runtime.NodeAgent;

/// <summary>Loads AppArmor policy into the node's kernel; the seam the agent's tests replace (no AppArmor on the build host).</summary>
public interface IAppArmorLoader
{
    /// <summary>True when the kernel enforces AppArmor (checked once).</summary>
    bool Enabled { get; }

    /// <summary>Replaces (or adds) the policy in <paramref name="path"/>; throws <see cref="InvalidOperationException"/> with apparmor_parser's bounded words when it refuses or overruns its time.</summary>
    Task LoadAsync(string path, CancellationToken cancel);

    /// <summary>Removes the policy in <paramref name="path"/> from the kernel.</summary>
    Task UnloadAsync(string path, CancellationToken cancel);
}
