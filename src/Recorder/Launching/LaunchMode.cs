namespace Portcullis.Recorder.Launching;

public enum LaunchMode
{
    /// <summary>Stop for the tracer to seize, install a seccomp filter that traces every syscall, exec.</summary>
    Ptrace,

    /// <summary>Join the recording cgroup, exec.</summary>
    Cgroup,

    /// <summary>Set no_new_privs, load a seccomp profile, exec (portcullis run).</summary>
    Enforce,

    /// <summary>Stop for the tracer, load a seccomp profile whose default action traces, exec (portcullis run --complain).</summary>
    Complain,
}
