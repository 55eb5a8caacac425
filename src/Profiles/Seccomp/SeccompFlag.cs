namespace Portcullis.Profiles.Seccomp;

public enum SeccompFlag
{
    Tsync,
    Log,
    SpecAllow,
    WaitKillableRecv,
}
