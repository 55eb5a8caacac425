namespace Portcullis.Profiles.Generation;

/// <summary>
/// Calls the vDSO answers without entering the kernel, so a recording never sees them; on a host whose
/// clocksource has no vDSO path (some VMs: xen, hyperv without TSC page) they are real syscalls and a
/// profile without them kills the app there. Every runtime's default profile allows them.
/// </summary>
public static class VdsoBase
{
    public static IReadOnlyList<string> Names { get; } =
        ["clock_gettime", "clock_getres", "gettimeofday", "time", "getcpu", "clock_gettime64", "clock_getres_time64"];
}
