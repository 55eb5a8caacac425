using System.ComponentModel;
using System.Diagnostics;

namespace Portcullis.Runtime.NodeAgent;

/// <summary>
/// The real loader: `apparmor_parser -r` / `-R`, where /sys/module/apparmor says AppArmor is on and the
/// command exists. The command is configurable because the parser is the node's, not the agent image's:
/// deploy/overlays/apparmor runs it in the host's mount namespace (`nsenter -t 1 -m -- apparmor_parser`).
/// </summary>
public sealed class AppArmorParserLoader : IAppArmorLoader
{
    private readonly IReadOnlyList<string> _command;

    public AppArmorParserLoader(IReadOnlyList<string> command, string enabledFile = "/sys/module/apparmor/parameters/enabled")
    {
        _command = command.Count > 0 ? command : ["apparmor_parser"];
        Enabled = File.Exists(enabledFile) && File.ReadAllText(enabledFile).Trim() == "Y" && OnPath(_command[0]);
    }

    public bool Enabled { get; }

    public Task LoadAsync(string path, CancellationToken cancel) => RunAsync("-r", path, cancel);

    public Task UnloadAsync(string path, CancellationToken cancel) => RunAsync("-R", path, cancel);

    private async Task RunAsync(string action, string path, CancellationToken cancel)
    {
        var start = new ProcessStartInfo(_command[0]) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in _command.Skip(1))
            start.ArgumentList.Add(arg);
        start.ArgumentList.Add(action);
        start.ArgumentList.Add(path);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {_command[0]}");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"cannot start {_command[0]}: {e.Message}", e);
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync(cancel);
            await process.StandardOutput.ReadToEndAsync(cancel).ConfigureAwait(false);
            await process.WaitForExitAsync(cancel).ConfigureAwait(false);
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"{string.Join(' ', _command)} {action} {Path.GetFileName(path)}: {(await stderr.ConfigureAwait(false)).Trim()}");
        }
    }

    private static bool OnPath(string command) =>
        command.Contains('/', StringComparison.Ordinal) ? File.Exists(command)
        : (Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin").Split(':').Append("/usr/sbin").Append("/sbin")
            .Any(dir => File.Exists(Path.Combine(dir, command)));
}
