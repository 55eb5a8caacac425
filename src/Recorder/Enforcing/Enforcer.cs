using Portcullis.Profiles.Syscalls;
using Portcullis.Recorder.Launching;
using Portcullis.Recorder.Ptrace;

namespace Portcullis.Recorder.Enforcing;

/// <summary>
/// Runs a command under a seccomp profile (portcullis run): the launcher sets no_new_privs, loads the
/// profile with libseccomp and execs. In complain mode the profile's stopping actions trace instead, and a
/// ptrace session lists what would have been denied while the command runs to its end.
/// </summary>
public static class Enforcer
{
    public static Task<int> RunAsync(RecordRequest request, string profileJson, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var launcher = request.Launcher ?? LauncherCommand.Current();
        return ChildProcess.OnOwnThread("portcullis-run", () =>
            ChildProcess.Wait(Spawner.Spawn(launcher, request.ToLaunch(LaunchMode.Enforce) with { SeccompProfileJson = profileJson }), cancel));
    }

    public static async Task<ComplainResult> ComplainAsync(RecordRequest request, string profileJson, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var launcher = request.Launcher ?? LauncherCommand.Current();
        var outcome = await PtraceSession.RunAsync(launcher, request.ToLaunch(LaunchMode.Complain) with { SeccompProfileJson = profileJson }, complain: true, null, cancel).ConfigureAwait(false);
        var denials = outcome.Complaints
            .Select(c => new Denial(c.Key.Arch, c.Key.Nr, SyscallTable.NameOrNumber(c.Key.Nr, c.Key.Arch), c.Key.Action, c.Value))
            .OrderByDescending(d => d.Count).ThenBy(d => d.Name, StringComparer.Ordinal)
            .ToList();
        return new ComplainResult(outcome.ExitCode, denials);
    }
}
