using System.CommandLine;
using Portcullis.Cli.Output;
using Portcullis.Oci.Artifacts;

namespace Portcullis.Cli.Commands;

internal static class AttachCommand
{
    public static Command Create(CliIo io)
    {
        var image = new Argument<string>("image") { Description = "The pushed image (registry/repository:tag or @digest; a platform manifest's digest attaches to that platform only)." }.RejectOptions();
        var from = new Option<string>("--from") { Description = "The folder `portcullis generate` or the Portcullis.Build package wrote (seccomp.json, apparmor.profile).", Required = true, HelpName = "dir" };
        var insecure = RegistryOptionsFactory.InsecureOption();
        var sign = new Option<string?>("--sign") { Description = "Sign each artifact with this ECDSA P-256 private key (PEM).", HelpName = "key.pem" };
        var command = new Command("attach", """
            Attach the seccomp and AppArmor profiles of a generated folder to an image pushed by any tool, as
            OCI 1.1 artifacts referring to it (what the Portcullis.Build package does after its own push).

            Example:
              dotnet publish -c Release -p:PortcullisGenerate=true
              docker build -t registry.example/shop/todo:1.4 . && docker push registry.example/shop/todo:1.4
              portcullis attach registry.example/shop/todo:1.4 --from bin/Release/net10.0/publish/portcullis
            """)
        { image, from, insecure, sign };

        command.SetAction(async (parse, cancel) =>
        {
            var dir = parse.GetValue(from)!;
            var files = new[] { ("seccomp.json", ProfileKind.Seccomp), ("apparmor.profile", ProfileKind.AppArmor) }.Where(f => File.Exists(Path.Combine(dir, f.Item1))).ToList();
            if (files.Count == 0)
                throw Profiles.Diagnostics.ProfileException.At(Profiles.Diagnostics.DiagnosticId.FileNotFound, "holds neither seccomp.json nor apparmor.profile", new Profiles.Diagnostics.Origin(dir, 0, 0));
            foreach (var (name, kind) in files)
            {
                var code = await PushCommand.PushFileAsync(io, Path.Combine(dir, name), parse.GetValue(image)!, "recorded,base", RegistryOptionsFactory.From(parse, insecure), parse.GetValue(sign), kind, cancel);
                if (code != 0)
                    return code;
            }
            return 0;
        });
        return command;
    }
}
