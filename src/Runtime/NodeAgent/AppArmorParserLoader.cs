using Portcullis.Profiles.AppArmor;
using Portcullis.Profiles.Diagnostics;

namespace Portcullis.Runtime.NodeAgent;

/// <summary>
/// The real loader: <see cref="AppArmorParserProcess"/> (`apparmor_parser -r` / `-R`, with its time limit and output
/// cap), where /sys/module/apparmor says AppArmor is on and the command exists. The command is configurable because
/// the parser is the node's, not the agent image's: deploy/overlays/apparmor runs it in the host's mount namespace
/// (`nsenter -t 1 -m -- apparmor_parser`). A file is loaded only if it is what the controller renders
/// (<see cref="UntrustedAppArmor"/>): whoever else can write the resource does not get text past the model either.
/// </summary>
public sealed class AppArmorParserLoader : IAppArmorLoader
{
    private readonly IReadOnlyList<string> _command;
    private readonly AppArmorParserProcess _parser;

    public AppArmorParserLoader(IReadOnlyList<string> command, string enabledFile = "/sys/module/apparmor/parameters/enabled", TimeProvider? time = null)
    {
        _command = command.Count > 0 ? command : ["apparmor_parser"];
        _parser = new AppArmorParserProcess(_command, time: time);
        Enabled = File.Exists(enabledFile) && File.ReadAllText(enabledFile).Trim() == "Y" && OnPath(_command[0]);
    }

    public bool Enabled { get; }

    public async Task LoadAsync(string path, CancellationToken cancel)
    {
        var text = await File.ReadAllTextAsync(path, cancel).ConfigureAwait(false);
        try
        {
            var profile = UntrustedAppArmor.Read(text, Path.GetFileName(path));
            if (UntrustedAppArmor.Render(profile, profile.Name) != text)
                throw new InvalidOperationException($"{Path.GetFileName(path)} is not AppArmor policy as the controller renders it; not loaded");
        }
        catch (ProfileException e)
        {
            throw new InvalidOperationException($"{Path.GetFileName(path)} not loaded: {e.Diagnostic}", e);
        }
        await _parser.LoadAsync(path, cancel).ConfigureAwait(false);
    }

    public Task UnloadAsync(string path, CancellationToken cancel) => _parser.UnloadAsync(path, cancel);

    private static bool OnPath(string command) =>
        command.Contains('/', StringComparison.Ordinal) ? File.Exists(command)
        : (Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin").Split(':').Append("/usr/sbin").Append("/sbin")
            .Any(dir => File.Exists(Path.Combine(dir, command)));
}
