namespace Portcullis.Recorder.Observations;

public enum Backend
{
    Ptrace,
    Ebpf,
}
