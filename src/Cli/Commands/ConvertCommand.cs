using System.CommandLine;
using Portcullis.Cli.Output;
using Portcullis.Profiles.AppArmor;
using Portcullis.Profiles.Diagnostics;
using Portcullis.Profiles.Loading;
using Portcullis.Profiles.Seccomp;
using Portcullis.Profiles.Spo;

namespace Portcullis.Cli.Commands;

internal static class ConvertCommand
{
    public static Command Create(CliIo io)
    {
        var file = new Argument<string>("file") { Description = "The profile to convert (FILE or FILE#NAME)." }.RejectOptions();
        var to = new Option<OutputFormat>("--to") { Description = "oci: runtime-spec seccomp JSON; spo: SPO SeccompProfile/AppArmorProfile YAML; apparmor: AppArmor policy text.", Required = true };
        var output = CommonOptions.Output();
        var bases = CommonOptions.Base();
        var arch = CommonOptions.Arch();
        var name = new Option<string?>("--name") { Description = "metadata.name for --to spo (default: the profile's name or the file name)." };
        var command = new Command("convert", """
            Convert between the OCI runtime-spec seccomp JSON, the Security Profiles Operator's resources, and
            AppArmor policy text. --to oci resolves SPO base profiles and Docker includes/excludes, so the
            output is exactly what runc and crun read. What a target format cannot hold is reported (PCL4001).

            Example:
              portcullis convert docker-default.json --to spo --name docker-default -o docker-default.yaml
              portcullis convert profile.yaml --to oci --base base-runc.yaml -o seccomp.json
              portcullis convert apparmorprofile.yaml --to apparmor -o app.profile
            """)
        { file, to, output, bases, arch, name };

        command.SetAction(parse =>
        {
            var bag = new DiagnosticBag();
            var spec = parse.GetValue(file)!;
            var documents = ProfileInputs.Load(spec, bag);
            var format = parse.GetValue(to);
            var text = documents[0] switch
            {
                SeccompDocument when format == OutputFormat.AppArmor =>
                    throw ProfileException.At(DiagnosticId.IncompatibleInputs, "a seccomp profile cannot be converted to AppArmor policy", new Origin(spec, 0, 0), "--to"),
                AppArmorDocument when format == OutputFormat.Oci =>
                    throw ProfileException.At(DiagnosticId.IncompatibleInputs, "an AppArmor profile cannot be converted to a seccomp profile", new Origin(spec, 0, 0), "--to"),
                SeccompDocument => Seccomp(spec, documents, format, parse.GetValue(bases) ?? [], ProfileInputs.ParseArch(parse.GetValue(arch)), parse.GetValue(name), bag),
                _ => AppArmor(documents.OfType<AppArmorDocument>().ToList(), format, parse.GetValue(name), bag),
            };
            io.Report(bag.Items);
            io.Emit(text, parse.GetValue(output));
            return 0;
        });
        return command;
    }

    private static string Seccomp(string spec, IReadOnlyList<ProfileDocument> documents, OutputFormat format, string[] baseFiles, SeccompArch arch, string? name, DiagnosticBag bag)
    {
        if (format == OutputFormat.Oci)
        {
            var doc = ProfileInputs.One<SeccompDocument>(spec, documents, "seccomp");
            var catalog = ProfileInputs.Catalog(documents, baseFiles, bag);
            return ProfileRendering.OciJson(SeccompCanonicalizer.Normalize(ProfileInputs.Enforced(doc, catalog, arch, bag)));
        }

        var resources = documents.OfType<SeccompDocument>().Select(d =>
        {
            if (d.Spo is { } spo)
                return name is null ? spo : spo with { Meta = spo.Meta.Renamed(KubernetesName.From(name)) };
            var profile = d.Profile.UsesDockerExtensions ? ProfileInputs.Enforced(d, new BaseProfileResolver([]), arch, bag) : d.Profile;
            var resourceName = KubernetesName.From(name ?? Path.GetFileNameWithoutExtension(d.Name));
            return new SpoSeccompProfile(SpoMetadata.New(SpoGroup.SeccompKind, resourceName), SeccompCanonicalizer.Normalize(profile), null, null, []);
        }).ToList();
        return ProfileRendering.SpoYaml(resources, bag);
    }

    private static string AppArmor(List<AppArmorDocument> documents, OutputFormat format, string? name, DiagnosticBag bag)
    {
        if (format == OutputFormat.AppArmor)
        {
            var profiles = documents.Select(d => name is null ? d.Profile : d.Profile with { Name = name }).ToList();
            return AppArmorRenderer.Render(profiles);
        }
        var resources = documents.Select(d =>
        {
            var cr = d.Spo ?? AbstractConverter.ToAbstract(d.Profile, bag);
            return (Profiles.Documents.DocNode)SpoWriter.ToDoc(name is null ? cr : cr with { Meta = cr.Meta.Renamed(KubernetesName.From(name)) });
        });
        return Profiles.Documents.DocYamlWriter.Write(resources);
    }
}
