namespace Portcullis.Recorder;

public enum BackendChoice
{
    /// <summary>eBPF when this process may load BPF programs and create cgroups, otherwise ptrace.</summary>
    Auto,
    Ebpf,
    Ptrace,
}
