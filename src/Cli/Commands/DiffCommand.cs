using System.CommandLine;
using System.Text.Json.Nodes;
using Portcullis.Cli.Output;
using Portcullis.Profiles.Diagnostics;
using Portcullis.Profiles.Seccomp;

namespace Portcullis.Cli.Commands;

internal static class DiffCommand
{
    public static Command Create(CliIo io)
    {
        var before = new Argument<string>("old") { Description = "The profile before (FILE or FILE#NAME)." }.RejectOptions();
        var after = new Argument<string>("new") { Description = "The profile after." }.RejectOptions();
        var json = CommonOptions.Json();
        var bases = CommonOptions.Base();
        var arch = CommonOptions.Arch();
        var exitCode = new Option<bool>("--exit-code") { Description = "Exit 1 when the profiles differ (as git diff --exit-code)." };
        var command = new Command("diff", """
            Compare two seccomp profiles architecture by architecture, as each architecture's filter would
            behave: syscalls added (+), removed (-) and changed (~), default action and architecture changes.

            Example:
              portcullis diff seccomp-v1.json seccomp-v2.json
              portcullis diff profiles.yaml#old profiles.yaml#new --json
            """)
        { before, after, json, bases, arch, exitCode };

        command.SetAction(parse =>
        {
            var bag = new DiagnosticBag();
            var target = ProfileInputs.ParseArch(parse.GetValue(arch));
            var a = ProfileInputs.OneSeccomp(parse.GetValue(before)!, bag);
            var b = ProfileInputs.OneSeccomp(parse.GetValue(after)!, bag);
            var catalog = ProfileInputs.Catalog([a, b], parse.GetValue(bases) ?? [], bag);
            var result = SeccompDiff.Compare(
                ProfileInputs.Enforced(a, catalog, target, bag),
                ProfileInputs.Enforced(b, catalog, target, bag));
            io.Report(bag.Items);
            io.Out.Write(parse.GetValue(json) ? Json(result) : Text(result));
            return parse.GetValue(exitCode) && !result.IsEmpty ? 1 : 0;
        });
        return command;
    }

    private static string Text(SeccompDiffResult r)
    {
        if (r.IsEmpty)
            return "no differences\n";
        var sb = new System.Text.StringBuilder();
        if (r.DefaultBefore != r.DefaultAfter)
            sb.Append($"defaultAction: {SeccompActions.Wire.Name(r.DefaultBefore)} -> {SeccompActions.Wire.Name(r.DefaultAfter)}\n");
        if (r.ArchitecturesAdded.Count > 0)
            sb.Append("architectures added: ").AppendJoin(", ", r.ArchitecturesAdded.Select(SeccompArchitectures.Wire.Name)).Append('\n');
        if (r.ArchitecturesRemoved.Count > 0)
            sb.Append("architectures removed: ").AppendJoin(", ", r.ArchitecturesRemoved.Select(SeccompArchitectures.Wire.Name)).Append('\n');

        // Architectures whose changes are the same are shown once, under all their names.
        foreach (var group in r.Architectures.Where(a => a.Changes.Count > 0).GroupBy(a => string.Join("\n", a.Changes)))
        {
            sb.AppendJoin(", ", group.Select(g => SeccompArchitectures.Wire.Name(g.Architecture))).Append(":\n");
            var changes = group.First().Changes;
            var width = changes.Max(c => c.Name.Length);
            foreach (var c in changes)
            {
                var line = c.Kind switch
                {
                    ChangeKind.Added => $"  + {c.Name.PadRight(width)}  {c.After}",
                    ChangeKind.Removed => $"  - {c.Name.PadRight(width)}  was {c.Before}",
                    _ => $"  ~ {c.Name.PadRight(width)}  {c.Before} -> {c.After}",
                };
                sb.Append(line).Append('\n');
            }
        }
        return sb.ToString();
    }

    private static string Json(SeccompDiffResult r) => JsonText.Render(new JsonObject
    {
        ["identical"] = r.IsEmpty,
        ["defaultAction"] = new JsonObject { ["before"] = SeccompActions.Wire.Name(r.DefaultBefore), ["after"] = SeccompActions.Wire.Name(r.DefaultAfter) },
        ["architecturesAdded"] = new JsonArray(r.ArchitecturesAdded.Select(a => (JsonNode)SeccompArchitectures.Wire.Name(a)!).ToArray()),
        ["architecturesRemoved"] = new JsonArray(r.ArchitecturesRemoved.Select(a => (JsonNode)SeccompArchitectures.Wire.Name(a)!).ToArray()),
        ["architectures"] = new JsonArray(r.Architectures.Select(a => (JsonNode)new JsonObject
        {
            ["architecture"] = SeccompArchitectures.Wire.Name(a.Architecture),
            ["added"] = Names(a, ChangeKind.Added),
            ["removed"] = Names(a, ChangeKind.Removed),
            ["changed"] = new JsonArray(a.Changes.Where(c => c.Kind == ChangeKind.Changed)
                .Select(c => (JsonNode)new JsonObject { ["name"] = c.Name, ["before"] = c.Before, ["after"] = c.After }).ToArray()),
        }).ToArray()),
    });

    private static JsonArray Names(ArchitectureDiff a, ChangeKind kind) =>
        new(a.Changes.Where(c => c.Kind == kind).Select(c => (JsonNode)new JsonObject
        {
            ["name"] = c.Name,
            ["treatment"] = kind == ChangeKind.Added ? c.After : c.Before,
        }).ToArray());
}
