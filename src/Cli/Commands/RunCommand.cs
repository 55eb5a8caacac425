using System.CommandLine;
using Portcullis.Cli.Output;
using Portcullis.Profiles.Diagnostics;
using Portcullis.Profiles.Seccomp;
using Portcullis.Profiles.Spo;
using Portcullis.Recorder.Enforcing;

namespace Portcullis.Cli.Commands;

internal static class RunCommand
{
    public static Command Create(CliIo io)
    {
        var command = TargetCommand.Argument();
        var profile = new Option<string>("--profile") { Description = "The seccomp profile (JSON, SPO YAML; FILE#NAME picks one).", Required = true, HelpName = "file" };
        var complain = new Option<bool>("--complain") { Description = "Do not enforce: run to the end and list the syscalls the profile would have denied, with counts." };
        var bases = CommonOptions.Base();
        var cmd = new Command("run", """
            Run a command under a seccomp profile, as a container runtime would load it (no_new_privs,
            libseccomp). With --complain nothing is denied: the command runs and Portcullis prints which
            syscalls the profile would have stopped, and how often. Exits with the command's exit code.

            Example:
              portcullis run --profile seccomp.json -- ./MyApp
              portcullis run --complain --profile seccomp.json -- dotnet test
            """)
        { command, profile, complain, bases };

        cmd.SetAction(parse =>
        {
            var bag = new DiagnosticBag();
            var doc = ProfileInputs.OneSeccomp(parse.GetValue(profile)!, bag);
            var catalog = ProfileInputs.Catalog([doc], parse.GetValue(bases) ?? [], bag);
            var json = ProfileRendering.OciJson(ProfileInputs.Enforced(doc, catalog, SeccompArchitectures.Host, bag));
            io.Report(bag.Items.Where(d => d.Severity != Severity.Info));
            using var interrupts = new Interrupts();
            var request = TargetCommand.Request(parse.GetValue(command)!);
            if (!parse.GetValue(complain))
                return Enforcer.RunAsync(request, json, interrupts.Token).GetAwaiter().GetResult();

            var result = Enforcer.ComplainAsync(request, json, interrupts.Token).GetAwaiter().GetResult();
            if (result.Denials.Count == 0)
                io.Err.WriteLine("complain: the profile would have denied nothing");
            foreach (var d in result.Denials)
                io.Err.WriteLine($"complain: would deny {d.Name} ({SeccompArchitectures.Wire.Name(d.Architecture)}, {SeccompActions.Wire.Name(d.Action)}) x{d.Count}");
            return result.ExitCode;
        });
        return cmd;
    }
}
