namespace Portcullis.Profiles.Recordings;

public enum Backend
{
    Ptrace,
    Ebpf,
}
