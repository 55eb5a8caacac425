using Portcullis.Recorder.Launching;
using Portcullis.Recorder.Ptrace;

namespace Portcullis.Recorder;

/// <summary>
/// Records what a command does in the kernel. The one entry point: pick a backend, run the command
/// through the launcher, return its exit status and the observations. Cancellation forwards SIGTERM to
/// the command and still returns what was recorded.
/// </summary>
public static class Recorder
{
    public static async Task<RecordResult> RecordAsync(RecordRequest request, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var launcher = request.Launcher ?? LauncherCommand.Current();
        var (backend, fallback) = Choose(request.Backend);
        if (backend == Observations.Backend.Ebpf)
            return await Ebpf.EbpfSession.RunAsync(launcher, request, cancel).ConfigureAwait(false);

        var outcome = await PtraceSession.RunAsync(launcher, request.ToLaunch(LaunchMode.Ptrace), complain: false, request.Progress, cancel).ConfigureAwait(false);
        return new RecordResult(outcome.ExitCode, outcome.Sink.Build(request.CommandLine, outcome.ExitCode), Observations.Backend.Ptrace, fallback);
    }

    private static (Observations.Backend Backend, string? Fallback) Choose(BackendChoice choice) => choice switch
    {
        BackendChoice.Ptrace => (Observations.Backend.Ptrace, null),
        BackendChoice.Ebpf => Ebpf.EbpfSession.Unavailable() is { } why
            ? throw new RecorderException("the eBPF backend cannot run here: " + why)
            : (Observations.Backend.Ebpf, null),
        _ => Ebpf.EbpfSession.Unavailable() is { } reason ? (Observations.Backend.Ptrace, reason) : (Observations.Backend.Ebpf, null),
    };
}
