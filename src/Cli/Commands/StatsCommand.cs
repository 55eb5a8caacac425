using System.CommandLine;
using System.Text.Json.Nodes;
using Portcullis.Cli.Output;
using Portcullis.Profiles.Diagnostics;
using Portcullis.Profiles.Seccomp;
using Portcullis.Profiles.Spo;

namespace Portcullis.Cli.Commands;

internal static class StatsCommand
{
    public static Command Create(CliIo io)
    {
        var file = new Argument<string>("file") { Description = "The seccomp profile (FILE or FILE#NAME)." }.RejectOptions();
        var json = CommonOptions.Json();
        var bases = CommonOptions.Base();
        var baseline = new Option<string?>("--baseline") { Description = "Compare with this profile instead of Docker's default.", HelpName = "file" };
        var command = new Command("stats", """
            How many syscalls the profile lets run on each of its architectures, next to Docker's default
            profile (as Docker applies it there, with its default capabilities). "allowed" runs whatever the
            arguments; "conditional" only for some arguments.

            Example:
              portcullis stats seccomp.json
              portcullis stats seccomp.json --baseline containers-common.json --json
            """)
        { file, json, bases, baseline };

        command.SetAction(parse =>
        {
            var bag = new DiagnosticBag();
            var doc = ProfileInputs.OneSeccomp(parse.GetValue(file)!, bag);
            var catalog = ProfileInputs.Catalog([doc], parse.GetValue(bases) ?? [], bag);
            var profile = doc.Spo is { } spo ? catalog.Resolve(spo, bag) : doc.Profile;
            var reference = parse.GetValue(baseline) is { } path ? ProfileInputs.OneSeccomp(path, bag).Profile : ReferenceProfiles.DockerDefault;
            var referenceName = parse.GetValue(baseline) is { } p ? Path.GetFileName(p) : "docker-default";

            var rows = SeccompStats.Compute(
                arch => DockerProfileResolver.Resolve(profile, DockerTarget.Host(arch)),
                arch => DockerProfileResolver.Resolve(reference, DockerTarget.Host(arch)),
                EffectiveView.ArchitecturesOf(profile));
            io.Report(bag.Items);
            io.Out.Write(parse.GetValue(json) ? Json(rows, referenceName) : Text(rows, referenceName, profile.DefaultAction));
            return 0;
        });
        return command;
    }

    private static string Text(IReadOnlyList<StatsRow> rows, string referenceName, SeccompAction defaultAction)
    {
        var sb = new System.Text.StringBuilder();
        var refHeader = referenceName.Length > 20 ? referenceName[..20] : referenceName;
        sb.Append($"{"architecture",-22} {"allowed",8} {"conditional",12} {refHeader,20} {"ratio",6}\n");
        foreach (var r in rows)
        {
            var ratio = r.ReferenceAllowed == 0 ? "-" : $"{100.0 * r.Allowed / r.ReferenceAllowed:0}%";
            sb.Append($"{SeccompArchitectures.Wire.Name(r.Architecture),-22} {r.Allowed,8} {r.Conditional,12} {r.ReferenceAllowed,20} {ratio,6}\n");
        }
        sb.Append($"default action: {SeccompActions.Wire.Name(defaultAction)}; known syscalls per architecture from Linux {Profiles.Syscalls.SyscallTable.KernelVersion}\n");
        return sb.ToString();
    }

    private static string Json(IReadOnlyList<StatsRow> rows, string referenceName) => JsonText.Render(new JsonObject
    {
        ["reference"] = referenceName,
        ["architectures"] = new JsonArray(rows.Select(r => (JsonNode)new JsonObject
        {
            ["architecture"] = SeccompArchitectures.Wire.Name(r.Architecture),
            ["allowed"] = r.Allowed,
            ["conditional"] = r.Conditional,
            ["known"] = r.Known,
            ["referenceAllowed"] = r.ReferenceAllowed,
            ["referenceConditional"] = r.ReferenceConditional,
        }).ToArray()),
    });
}
