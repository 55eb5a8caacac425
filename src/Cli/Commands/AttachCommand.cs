using System.CommandLine;
using Portcullis.Cli.Output;
using Portcullis.Oci.Artifacts;

namespace Portcullis.Cli.Commands;

internal static class AttachCommand
{
    // os/arch as OCI indexes name platforms; a .NET RID (linux-x64, linux-musl-arm64) is taken too.
    private static string PlatformOf(string key)
    {
        if (key.Contains('/', StringComparison.Ordinal))
            return key;
        var arch = key[(key.LastIndexOf('-') + 1)..] switch
        {
            "x64" => "amd64",
            "x86" => "386",
            var other => other,
        };
        return "linux/" + arch;
    }

    private static async Task<int> AttachFolderAsync(CliIo io, string dir, string image, string sources, Oci.Transport.RegistryOptions options, string? sign, CancellationToken cancel)
    {
        var files = new[] { ("seccomp.json", ProfileKind.Seccomp), ("apparmor.profile", ProfileKind.AppArmor) }.Where(f => File.Exists(Path.Combine(dir, f.Item1))).ToList();
        if (files.Count == 0)
            throw Profiles.Diagnostics.ProfileException.At(Profiles.Diagnostics.DiagnosticId.FileNotFound, "holds neither seccomp.json nor apparmor.profile", new Profiles.Diagnostics.Origin(dir, 0, 0));
        foreach (var (name, kind) in files)
        {
            var code = await PushCommand.PushFileAsync(io, Path.Combine(dir, name), image, sources, options, sign, kind, cancel);
            if (code != 0)
                return code;
        }
        return 0;
    }

    public static Command Create(CliIo io)
    {
        var image = new Argument<string>("image") { Description = "The pushed image (registry/repository:tag or @digest; a platform manifest's digest attaches to that platform only)." }.RejectOptions();
        var from = new Option<string[]>("--from") { Description = "The folder `portcullis generate` or the Portcullis.Build package wrote (seccomp.json, apparmor.profile); for a multi-platform image, one per platform as os/arch=DIR (repeatable).", Required = true, HelpName = "dir" };
        var sources = new Option<string>("--sources") { Description = "What fed the profiles, recorded in the artifacts.", DefaultValueFactory = _ => "recorded,predicted,base" };
        var insecure = RegistryOptionsFactory.InsecureOption();
        var sign = new Option<string?>("--sign") { Description = "Sign each artifact with this ECDSA P-256 private key (PEM).", HelpName = "key.pem" };
        var command = new Command("attach", """
            Attach the seccomp and AppArmor profiles of a generated folder to an image pushed by any tool, as
            OCI 1.1 artifacts referring to it (what the Portcullis.Build package does after its own push).

            Example:
              dotnet publish -c Release -p:PortcullisGenerate=true
              docker build -t registry.example/shop/todo:1.4 . && docker push registry.example/shop/todo:1.4
              portcullis attach registry.example/shop/todo:1.4 --from bin/Release/net10.0/publish/portcullis
              portcullis attach registry.example/shop/todo:1.4 --from linux/amd64=x64/portcullis --from linux/arm64=arm64/portcullis
            """)
        { image, from, insecure, sign, sources };

        command.SetAction(async (parse, cancel) =>
        {
            var specs = parse.GetValue(from) ?? [];
            var options = RegistryOptionsFactory.From(parse, insecure);
            var perPlatform = specs.Where(f => f.Contains('=', StringComparison.Ordinal)).Select(f => (Platform: PlatformOf(f[..f.IndexOf('=', StringComparison.Ordinal)]), Dir: f[(f.IndexOf('=', StringComparison.Ordinal) + 1)..])).ToList();
            if (perPlatform.Count == 0)
                return await AttachFolderAsync(io, specs.Single(), parse.GetValue(image)!, parse.GetValue(sources)!, options, parse.GetValue(sign), cancel);

            // One folder per platform: each is attached to that platform's manifest only.
            var reference = Oci.References.ImageReference.Parse(parse.GetValue(image)!);
            using var client = new Oci.RegistryClient(options);
            var top = await client.GetManifestAsync(reference, cancel);
            var platforms = top.IsIndex ? top.Platforms(reference.ToString()) : [top.Descriptor];
            foreach (var (platform, dir) in perPlatform)
            {
                var subject = platforms.FirstOrDefault(p => p.Platform == platform)
                    ?? throw new Oci.OciException($"{reference}: the image has no {platform} manifest (it has {string.Join(", ", platforms.Select(p => p.Platform ?? "?"))})");
                var code = await AttachFolderAsync(io, dir, (reference with { Tag = null, Digest = subject.Digest }).ToString(), parse.GetValue(sources)!, options, parse.GetValue(sign), cancel);
                if (code != 0)
                    return code;
            }
            return 0;
        });
        return command;
    }
}
