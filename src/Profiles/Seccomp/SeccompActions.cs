using Portcullis.Profiles.Collections;

namespace Portcullis.Profiles.Seccomp;

public static class SeccompActions
{
    public static WireNames<SeccompAction> Wire { get; } = new(
        (SeccompAction.Allow, "SCMP_ACT_ALLOW"),
        (SeccompAction.Log, "SCMP_ACT_LOG"),
        (SeccompAction.Notify, "SCMP_ACT_NOTIFY"),
        (SeccompAction.Trace, "SCMP_ACT_TRACE"),
        (SeccompAction.Errno, "SCMP_ACT_ERRNO"),
        (SeccompAction.Trap, "SCMP_ACT_TRAP"),
        (SeccompAction.KillThread, "SCMP_ACT_KILL_THREAD"),
        (SeccompAction.Kill, "SCMP_ACT_KILL"),
        (SeccompAction.KillProcess, "SCMP_ACT_KILL_PROCESS"));

    /// <summary>True for actions under which the syscall runs (ALLOW, LOG): a default of one of these blocks nothing.</summary>
    public static bool LetsSyscallRun(this SeccompAction action) => action is SeccompAction.Allow or SeccompAction.Log;

    /// <summary>Actions that return an errno to the caller and so may carry errnoRet.</summary>
    public static bool TakesErrno(this SeccompAction action) => action is SeccompAction.Errno or SeccompAction.Trace;

    public static SeccompAction MorePermissive(SeccompAction a, SeccompAction b) => a <= b ? a : b;

    public static SeccompAction MoreRestrictive(SeccompAction a, SeccompAction b) => a >= b ? a : b;
}
