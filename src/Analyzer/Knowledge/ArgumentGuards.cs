namespace Portcullis.Analyzer.Knowledge;

/// <summary>
/// Native exports that make some of their syscalls only on a branch a managed argument decides, where one framework
/// API is the only way an app can set that argument: when reachable code never calls that API, those syscalls are not
/// predicted for the export. SystemNative_ForkAndExecProcess switches the child's identity (setgroups, setgid, setuid)
/// only when Process passes setCredentials, which it does only for a ProcessStartInfo whose UserName is set: without
/// this, every app that can start a process would keep the privilege-changing calls an attacker wants most, even under
/// a no_new_privs variant. The child changes directory (chdir) only for a WorkingDirectory. Each guard is checked
/// against the real runtime by a recorder test (Process.Start with and without UserName or WorkingDirectory). A
/// property set by reflection (a configuration binder filling a ProcessStartInfo) is not seen.
/// </summary>
public static class ArgumentGuards
{
    /// <summary>Syscalls <paramref name="Export"/> makes only when reachable code calls <paramref name="SetBy"/> (Type::Method).</summary>
    public sealed record Guard(string Export, IReadOnlyList<string> Syscalls, string SetBy);

    public static IReadOnlyList<Guard> All { get; } =
    [
        // getgroups sits in the same helper as setgroups (native: ForkAndExecProcess → the groups helper → getgroups).
        new("SystemNative_ForkAndExecProcess", ["getgroups", "setgroups", "setgid", "setuid"], "System.Diagnostics.ProcessStartInfo::set_UserName"),
        new("SystemNative_ForkAndExecProcess", ["chdir"], "System.Diagnostics.ProcessStartInfo::set_WorkingDirectory"),
    ];

    /// <summary>What <paramref name="export"/> makes, less the syscalls of guards whose API <paramref name="isReached"/> says no reachable code calls.</summary>
    public static IReadOnlyList<(string Syscall, string Native)> Narrow(string export, IReadOnlyList<(string Syscall, string Native)> made, Func<string, bool> isReached)
    {
        var dropped = All.Where(g => g.Export == export && !isReached(g.SetBy)).SelectMany(g => g.Syscalls).ToHashSet(StringComparer.Ordinal);
        return dropped.Count == 0 ? made : made.Where(m => !dropped.Contains(m.Syscall) || m.Native.Contains(Passes.NativeSide.ThroughPointer, StringComparison.Ordinal)).ToList();
    }
}
