using Portcullis.Profiles.Recordings;
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
        string? fallback = null;
        if (request.Backend != BackendChoice.Ptrace)
        {
            try
            {
                return await Ebpf.EbpfSession.RunAsync(launcher, request, cancel).ConfigureAwait(false);
            }
            catch (Ebpf.EbpfUnavailableException e) when (request.Backend == BackendChoice.Auto)
            {
                fallback = e.Message;
            }
            catch (Exception e) when (request.Backend == BackendChoice.Auto && e is EntryPointNotFoundException or DllNotFoundException or PlatformNotSupportedException)
            {
                // A libc without an entry point the eBPF backend needs: ptrace may still work.
                fallback = $"the eBPF backend cannot run on this system ({e.Message})";
            }
            catch (Ebpf.EbpfUnavailableException e)
            {
                throw new RecorderException("the eBPF backend cannot run here: " + e.Message);
            }
        }

        var outcome = await PtraceSession.RunAsync(launcher, request.ToLaunch(LaunchMode.Ptrace), complain: false, request.Progress, cancel).ConfigureAwait(false);
        var recording = outcome.Sink.Build(request.CommandLine, outcome.ExitCode);
        return new RecordResult(outcome.ExitCode, recording, Backend.Ptrace, fallback)
        {
            Notes = ["capabilities are not recorded by the ptrace backend (the eBPF backend records them through the BPF LSM)"],
            Warnings = RecordingWarnings.For(outcome.LeftRunning, recording.Executables),
        };
    }
}
