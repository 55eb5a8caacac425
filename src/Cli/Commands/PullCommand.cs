using System.CommandLine;
using Portcullis.Cli.Output;
using Portcullis.Oci;
using Portcullis.Oci.Artifacts;
using Portcullis.Oci.References;
using Portcullis.Profiles.AppArmor;
using Portcullis.Profiles.Diagnostics;
using Portcullis.Profiles.Loading;
using Portcullis.Profiles.Seccomp;

namespace Portcullis.Cli.Commands;

internal static class PullCommand
{
    public static Command Create(CliIo io)
    {
        var image = new Argument<string>("image") { Description = "The image (registry/repository:tag or @digest)." }.RejectOptions();
        var kind = new Option<ProfileKind>("--kind") { Description = "seccomp or apparmor.", DefaultValueFactory = _ => ProfileKind.Seccomp };
        var platform = new Option<string?>("--platform") { Description = "For a multi-platform image: os/architecture, e.g. linux/amd64.", HelpName = "os/arch" };
        var output = CommonOptions.Output();
        output.Required = true;
        var insecure = RegistryOptionsFactory.InsecureOption();
        var verify = new Option<string[]>("--verify") { Description = "Accept the profile only if a signature verifies with this public key (PEM; repeatable: any of them).", HelpName = "pub.pem" };
        var command = new Command("pull", """
            Fetch the newest profile of a kind attached to an image: digests verified, at most 1 MiB, the
            expected media type, then parsed and validated before it is written (atomically).

            Example:
              portcullis pull registry.example/shop/todo:1.4 -o seccomp.json
              portcullis pull registry.example/shop/todo:1.4 --kind apparmor --platform linux/arm64 -o app.profile
              portcullis pull registry.example/shop/todo:1.4 --verify cosign.pub -o seccomp.json
            """)
        { image, kind, platform, output, insecure, verify };

        command.SetAction(async (parse, cancel) =>
        {
            var reference = ImageReference.Parse(parse.GetValue(image)!);
            using var client = new RegistryClient(RegistryOptionsFactory.From(parse, insecure));
            var pulled = await new ProfileArtifacts(client).PullAsync(reference, parse.GetValue(kind), parse.GetValue(platform), cancel);
            if (parse.GetValue(verify) is { Length: > 0 } keyFiles)
            {
                var keys = keyFiles.Select(Portcullis.Oci.Signing.ArtifactSigner.LoadKey).ToList();
                try
                {
                    if (!await new Portcullis.Oci.Signing.ArtifactSigner(client).VerifyAsync(reference, pulled.Artifact, pulled.Subject.Digest, keys, cancel: cancel))
                        throw new OciException($"{reference.Registry}/{reference.Repository}@{pulled.Artifact.Digest}: no signature verifies with the given key(s)");
                }
                finally
                {
                    keys.ForEach(k => k.Dispose());
                }
            }

            var bag = new DiagnosticBag();
            var text = System.Text.Encoding.UTF8.GetString(pulled.Content);
            var where = $"{reference.Registry}/{reference.Repository}@{pulled.Artifact.Digest}";
            var documents = ProfileLoader.Load(new InputText(pulled.Content, text, where), bag);
            var findings = documents.SelectMany(d => d switch
            {
                SeccompDocument s => SeccompValidator.Validate(s.Profile),
                AppArmorDocument a => AppArmorValidator.Validate(a.Profile),
                _ => [],
            }).ToList();
            io.Report(bag.Items.Concat(findings).Where(d => d.Severity != Severity.Info));
            if (findings.Any(f => f.Severity == Severity.Error))
                return 1;
            io.Emit(text, parse.GetValue(output));
            io.Err.WriteLine($"pulled {where} ({pulled.Content.Length} bytes) for {reference.Registry}/{reference.Repository}@{pulled.Subject.Digest}");
            return 0;
        });
        return command;
    }
}
