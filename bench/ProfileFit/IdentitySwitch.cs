/// <summary>What a pod with allowPrivilegeEscalation: false must not be allowed: the calls that change who the process is.</summary>
internal static class IdentitySwitch
{
    public static readonly string[] Names = ["setuid", "setgid", "setgroups", "capset"];
}
