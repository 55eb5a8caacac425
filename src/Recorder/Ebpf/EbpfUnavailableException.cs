namespace Portcullis.Recorder.Ebpf;

/// <summary>The eBPF session could not be set up (nothing was started yet), so auto can fall back to ptrace.</summary>
internal sealed class EbpfUnavailableException(string message) : Exception(message);
