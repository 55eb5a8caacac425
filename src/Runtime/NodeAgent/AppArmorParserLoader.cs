using System.Diagnostics;

namespace Portcullis.Runtime.NodeAgent;

/// <summary>The real loader: `apparmor_parser -r` / `-R` on the node, where /sys/module/apparmor says AppArmor is on.</summary>
public sealed class AppArmorParserLoader(string parser = "apparmor_parser", string enabledFile = "/sys/module/apparmor/parameters/enabled") : IAppArmorLoader
{
    public bool Enabled { get; } = File.Exists(enabledFile) && File.ReadAllText(enabledFile).Trim() == "Y";

    public Task LoadAsync(string path, CancellationToken cancel) => RunAsync("-r", path, cancel);

    public Task UnloadAsync(string path, CancellationToken cancel) => RunAsync("-R", path, cancel);

    private async Task RunAsync(string action, string path, CancellationToken cancel)
    {
        var start = new ProcessStartInfo(parser) { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(action);
        start.ArgumentList.Add(path);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {parser}");
        var stderr = process.StandardError.ReadToEndAsync(cancel);
        await process.StandardOutput.ReadToEndAsync(cancel).ConfigureAwait(false);
        await process.WaitForExitAsync(cancel).ConfigureAwait(false);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{parser} {action} {Path.GetFileName(path)}: {(await stderr.ConfigureAwait(false)).Trim()}");
    }
}
