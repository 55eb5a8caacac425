using System.CommandLine;
using Portcullis.Cli.Output;
using Portcullis.Oci;
using Portcullis.Oci.Artifacts;
using Portcullis.Oci.References;
using System.Text;
using Portcullis.Profiles.AppArmor;
using Portcullis.Profiles.Generation;
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
        var runtime = new Option<string?>("--runtime") { Description = "Seccomp: write the profile a node agent writes for a node running this OCI runtime, e.g. runc/1.1.5 (`runc --version`).", HelpName = "runtime/version" };
        var noNewPrivileges = new Option<bool>("--no-new-privileges") { Description = "With --runtime: the variant for a container with no_new_privs (allowPrivilegeEscalation: false)." };
        var command = new Command("pull", """
            Fetch the newest profile of a kind attached to an image: digests verified, at most 1 MiB, the
            expected media type, then parsed and validated before it is written (atomically).

            Example:
              portcullis pull registry.example/shop/todo:1.4 -o seccomp.json
              portcullis pull registry.example/shop/todo:1.4 --kind apparmor --platform linux/arm64 -o app.profile
              portcullis pull registry.example/shop/todo:1.4 --verify cosign.pub -o seccomp.json
              portcullis pull registry.example/shop/todo:1.4 --runtime runc/1.1.5 --no-new-privileges -o seccomp.json
            """)
        { image, kind, platform, output, insecure, verify, runtime, noNewPrivileges };

        command.SetAction(async (parse, cancel) =>
        {
            var reference = ImageReference.Parse(parse.GetValue(image)!);
            var forRuntime = parse.GetValue(runtime);
            var nnp = parse.GetValue(noNewPrivileges);
            if (nnp && forRuntime is null)
                throw ProfileException.At(DiagnosticId.UsageError, "--no-new-privileges chooses a runtime variant: give --runtime too", default, "--no-new-privileges");
            if (forRuntime is not null && parse.GetValue(kind) != ProfileKind.Seccomp)
                throw ProfileException.At(DiagnosticId.UsageError, "--runtime tailors seccomp profiles only", default, "--runtime");
            var variant = forRuntime is null ? null : ContainerRuntimeBase.ForName(forRuntime, nnp)
                ?? throw ProfileException.At(DiagnosticId.UsageError, $"--runtime '{forRuntime}' does not name an OCI runtime and version (e.g. runc/1.1.5)", default, "--runtime");
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
            if (variant is not null)
            {
                var runtimeOnly = ContainerRuntimePart.Parse(pulled.Annotations.GetValueOrDefault(ProfileArtifactFormat.ContainerRuntimeNames));
                var stored = Encoding.UTF8.GetBytes(UntrustedSeccomp.Canonical(UntrustedSeccomp.Read(pulled.Content, where)));
                text = Encoding.UTF8.GetString(ContainerRuntimePart.NodeFile(stored, where, runtimeOnly, variant));
                var dropped = runtimeOnly.Except(variant.Names, StringComparer.Ordinal).ToList();
                var which = $"{variant.Runtime}/{variant.Version} {(nnp ? "with" : "without")} no_new_privs";
                if (!variant.Proven || runtimeOnly.Count == 0)
                    io.Report([Diagnostic.Warning(DiagnosticId.RuntimeNotProbed, !variant.Proven
                        ? $"{which}: that version was not probed, so the profile keeps the portable container-runtime base ({ContainerRuntimeBase.Versions})"
                        : $"{where} names no runtime-only syscalls ({ProfileArtifactFormat.ContainerRuntimeNames}), so the profile is as stored")]);
                else
                    io.Err.WriteLine($"for {which}: {dropped.Count} of the {runtimeOnly.Count} runtime-only syscalls left out ({string.Join(", ", dropped)})");
            }
            io.Emit(text, parse.GetValue(output));
            io.Err.WriteLine($"pulled {where} ({pulled.Content.Length} bytes) for {reference.Registry}/{reference.Repository}@{pulled.Subject.Digest}");
            return 0;
        });
        return command;
    }
}
