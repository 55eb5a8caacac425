using System.CommandLine;
using Portcullis.Cli.Output;
using Portcullis.Profiles.Diagnostics;
using Portcullis.Profiles.Loading;
using Portcullis.Profiles.Seccomp;
using Portcullis.Profiles.Spo;

namespace Portcullis.Cli.Commands;

internal static class MergeCommand
{
    public static Command Create(CliIo io)
    {
        var files = new Argument<string[]>("files") { Description = "Seccomp profiles to merge (JSON or SPO YAML; FILE#NAME picks one document).", Arity = ArgumentArity.OneOrMore }.RejectOptions();
        var output = CommonOptions.Output();
        var bases = CommonOptions.Base();
        var to = new Option<OutputFormat?>("--to") { Description = "Output format: oci (JSON) or spo (SeccompProfile YAML). Default: the first input's." };
        var name = new Option<string?>("--name") { Description = "metadata.name of the SPO resource written with --to spo (default: the input's name, or merged)." };
        var command = new Command("merge", """
            Union of seccomp profiles: whatever any input allows, the result allows; rules with argument
            conditions are kept, never widened. With one input, rewrites it in canonical form (sorted,
            grouped by action and conditions), so that equal profiles are byte-equal.

            Example:
              portcullis merge recorded.json predicted.json base.json -o seccomp.json
              portcullis merge seccomp.json                     # normalise
            """)
        { files, output, bases, to, name };

        command.SetAction(parse =>
        {
            var bag = new DiagnosticBag();
            var specs = parse.GetValue(files)!;
            var documents = specs.Select(s => (Spec: s, Docs: ProfileInputs.Load(s, bag))).ToList();
            var seccomp = documents.SelectMany(d => d.Docs.OfType<SeccompDocument>()).ToList();
            if (seccomp.Count == 0)
                throw ProfileException.At(DiagnosticId.UnrecognizedDocument, "no seccomp profile among the inputs", new Origin(specs[0], 0, 0));
            var catalog = ProfileInputs.Catalog(documents.SelectMany(d => d.Docs), parse.GetValue(bases) ?? [], bag);
            var profiles = seccomp.Select(d => d.Spo is { } spo ? catalog.Resolve(spo, bag) : d.Profile).ToList();
            var merged = SeccompMerger.Merge(profiles, bag);

            var format = parse.GetValue(to) ?? (seccomp[0].Format == SourceFormat.Spo ? OutputFormat.Spo : OutputFormat.Oci);
            string text;
            if (format == OutputFormat.Spo)
            {
                var meta = seccomp.Count == 1 && seccomp[0].Spo is { } only ? only.Meta : SpoMetadata.New(SpoGroup.SeccompKind, "merged");
                if (parse.GetValue(name) is { } newName)
                    meta = meta.Renamed(KubernetesName.From(newName));
                text = ProfileRendering.SpoYaml([new SpoSeccompProfile(meta, merged, null, null, [])], bag);
            }
            else if (format == OutputFormat.Oci)
            {
                text = ProfileRendering.OciJson(merged);
            }
            else
            {
                throw ProfileException.At(DiagnosticId.IncompatibleInputs, "merge writes seccomp profiles: use --to oci or --to spo", default, "--to");
            }
            io.Report(bag.Items);
            io.Emit(text, parse.GetValue(output));
            return 0;
        });
        return command;
    }
}
