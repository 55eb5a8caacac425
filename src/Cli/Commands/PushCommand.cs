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

internal static class PushCommand
{
    public static Command Create(CliIo io)
    {
        var file = new Argument<string>("profile") { Description = "The profile to attach (seccomp JSON/SPO YAML, or AppArmor policy)." }.RejectOptions();
        var to = new Option<string>("--to") { Description = "The image it belongs to (registry/repository:tag or @digest).", Required = true, HelpName = "image" };
        var sources = new Option<string>("--sources") { Description = "What fed the profile, recorded in the artifact (e.g. recorded,predicted,base).", DefaultValueFactory = _ => "manual" };
        var insecure = RegistryOptionsFactory.InsecureOption();
        var expected = new Option<ProfileKind?>("--kind") { Description = "seccomp or apparmor; checked against the file's content (default: what the file holds)." };
        var sign = new Option<string?>("--sign") { Description = "Sign each artifact with this ECDSA P-256 private key (PEM); see docs/signing.md.", HelpName = "key.pem" };
        var command = new Command("push", """
            Attach a profile to an image in its registry as an OCI 1.1 artifact whose subject is the image
            manifest (one per platform of a multi-platform image). Registries without the referrers API get
            the sha256-<hex> tag index. The profile is validated first and pushed in canonical form.

            Example:
              portcullis push seccomp.json --to registry.example/shop/todo:1.4
              portcullis push app.profile --to 127.0.0.1:5000/shop/todo:1.4 --sign cosign.key.pem
            """)
        { file, to, sources, insecure, sign, expected };

        command.SetAction((parse, cancel) => PushFileAsync(io, parse.GetValue(file)!, parse.GetValue(to)!, parse.GetValue(sources)!, RegistryOptionsFactory.From(parse, insecure), parse.GetValue(sign), parse.GetValue(expected), cancel));
        return command;
    }

    /// <summary>Validates one profile file and attaches it to the image; attach calls this for each file of a generated folder.</summary>
    internal static async Task<int> PushFileAsync(CliIo io, string path, string imageText, string sources, Portcullis.Oci.Transport.RegistryOptions options, string? keyPath, ProfileKind? expectedKind, CancellationToken cancel)
    {
        var bag = new DiagnosticBag();
        var doc = ProfileInputs.Load(path, bag) switch
        {
            [var single] => single,
            var many => throw ProfileException.At(DiagnosticId.AmbiguousDocument, $"holds {many.Count} profiles; pick one as FILE#NAME", new Origin(path, 0, 0)),
        };
        // The profile as runc will load it (bases merged, Docker filters resolved), computed once.
        var enforced = doc is SeccompDocument s ? ProfileInputs.Enforced(s, ProfileInputs.Catalog([s], [], bag), SeccompArchitectures.Host, bag) : null;
        var (kind, content) = doc switch
        {
            SeccompDocument => (ProfileKind.Seccomp, ProfileRendering.OciJson(SeccompCanonicalizer.Normalize(enforced!))),
            AppArmorDocument a => (ProfileKind.AppArmor, AppArmorRenderer.Render(a.Profile)),
            _ => throw new InvalidOperationException(),
        };
        if (expectedKind is { } wanted && wanted != kind)
            throw ProfileException.At(DiagnosticId.IncompatibleInputs, $"--kind {wanted.ToString().ToLowerInvariant()} but the file holds a {kind.ToString().ToLowerInvariant()} profile", new Origin(path, 0, 0), "--kind");
        var errors = doc is SeccompDocument sd ? SeccompValidator.Validate(sd.Profile) : AppArmorValidator.Validate(((AppArmorDocument)doc).Profile);
        io.Report(bag.Items.Concat(errors).Where(d => d.Severity != Severity.Info));
        if (errors.Any(e => e.Severity == Severity.Error))
            return 1;
        int? allowed = enforced is null ? null : EffectiveView.Of(enforced, SeccompArchitectures.Host).Allowed().Count();

        var image = ImageReference.Parse(imageText);
        using var client = new RegistryClient(options);
        var annotations = new Dictionary<string, string>
        {
            [ProfileArtifactFormat.Generator] = "portcullis " + typeof(PushCommand).Assembly.GetName().Version?.ToString(3),
            [ProfileArtifactFormat.Sources] = sources,
        };
        if (allowed is { } n)
            annotations[ProfileArtifactFormat.AllowedSyscalls] = n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (doc is SeccompDocument generated && Portcullis.Profiles.Generation.ContainerRuntimePart.NamesIn(generated.Profile) is { Count: > 0 } runtimeOnly)
            annotations[ProfileArtifactFormat.ContainerRuntimeNames] = Portcullis.Profiles.Generation.ContainerRuntimePart.Format(runtimeOnly);
        using var key = keyPath is null ? null : Portcullis.Oci.Signing.ArtifactSigner.LoadKey(keyPath);
        var pushed = await new ProfileArtifacts(client).PushAsync(image, kind, System.Text.Encoding.UTF8.GetBytes(content), annotations, cancel);
        foreach (var (subject, artifact) in pushed)
        {
            if (key is not null)
                await new Portcullis.Oci.Signing.ArtifactSigner(client).SignAsync(image, artifact, subject.Digest, key, cancel);
            io.Out.WriteLine($"{image.Registry}/{image.Repository}@{artifact.Digest}{(key is null ? "" : " (signed)")}");
        }
        return 0;
        }
}
