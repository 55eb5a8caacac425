using Portcullis.Profiles.Collections;

namespace Portcullis.Profiles.Seccomp;

public static class SeccompFlags
{
    public static WireNames<SeccompFlag> Wire { get; } = new(
        (SeccompFlag.Tsync, "SECCOMP_FILTER_FLAG_TSYNC"),
        (SeccompFlag.Log, "SECCOMP_FILTER_FLAG_LOG"),
        (SeccompFlag.SpecAllow, "SECCOMP_FILTER_FLAG_SPEC_ALLOW"),
        (SeccompFlag.WaitKillableRecv, "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"));
}
