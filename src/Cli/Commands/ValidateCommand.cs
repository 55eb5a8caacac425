using System.CommandLine;
using System.Text.Json.Nodes;
using Portcullis.Cli.Output;
using Portcullis.Profiles.AppArmor;
using Portcullis.Profiles.Diagnostics;
using Portcullis.Profiles.Loading;
using Portcullis.Profiles.Seccomp;

namespace Portcullis.Cli.Commands;

internal static class ValidateCommand
{
    public static Command Create(CliIo io)
    {
        var files = new Argument<string[]>("files") { Description = "Profiles to check: seccomp JSON, SPO YAML, AppArmor policy (FILE#NAME picks one document).", Arity = ArgumentArity.OneOrMore }.RejectOptions();
        var json = CommonOptions.Json();
        var bases = CommonOptions.Base();
        var strict = new Option<bool>("--warnings-as-errors", "-W") { Description = "Fail (exit 1) on warnings too." };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Do not print info-level findings." };
        var compile = new Option<bool>("--apparmor-parser") { Description = "Also compile AppArmor profiles with the real apparmor_parser (-Q: no kernel load)." };
        var command = new Command("validate", """
            Check profiles for errors runc, crun or libseccomp would reject or silently ignore, and for rules
            that do not do what they seem to. Exit 0 when no errors, 1 otherwise.

            Example:
              portcullis validate seccomp.json
              portcullis validate profiles.yaml#my-profile --base base-profiles.yaml --json
            """)
        { files, json, bases, strict, quiet, compile };

        command.SetAction(parse =>
        {
            var results = new JsonArray();
            int errors = 0, warnings = 0;
            foreach (var spec in parse.GetValue(files)!)
            {
                var found = Check(spec, parse.GetValue(bases) ?? [], parse.GetValue(compile) ? new AppArmorParserProcess() : null, out var documents);
                errors += found.Count(d => d.Severity == Severity.Error);
                warnings += found.Count(d => d.Severity == Severity.Warning);
                if (parse.GetValue(json))
                {
                    results.Add((JsonNode)new JsonObject
                    {
                        ["file"] = ProfileInputs.Split(spec).Path,
                        ["documents"] = new JsonArray(documents.Select(d => (JsonNode)new JsonObject
                        {
                            ["name"] = d.Name,
                            ["kind"] = d is SeccompDocument ? "seccomp" : "apparmor",
                            ["format"] = d.Format.ToString(),
                        }).ToArray()),
                        ["diagnostics"] = new JsonArray(found.Select(d => (JsonNode)DiagnosticJson.From(d)).ToArray()),
                    });
                }
                else
                {
                    foreach (var d in found.Where(d => !parse.GetValue(quiet) || d.Severity != Severity.Info))
                        io.Out.WriteLine(CliIo.Line(d));
                    var kinds = string.Join(", ", documents.Select(d => $"{(d is SeccompDocument ? "seccomp" : "apparmor")} '{d.Name}'"));
                    io.Out.WriteLine($"{ProfileInputs.Split(spec).Path}: {(kinds.Length > 0 ? kinds : "no profile read")}: {found.Count(d => d.Severity == Severity.Error)} error(s), {found.Count(d => d.Severity == Severity.Warning)} warning(s)");
                }
            }
            if (parse.GetValue(json))
                io.Out.Write(JsonText.Render(new JsonObject { ["files"] = results, ["errors"] = errors, ["warnings"] = warnings }));
            return errors > 0 || (parse.GetValue(strict) && warnings > 0) ? 1 : 0;
        });
        return command;
    }

    private static List<Diagnostic> Check(string spec, string[] baseFiles, IAppArmorCompiler? compiler, out IReadOnlyList<ProfileDocument> documents)
    {
        var bag = new DiagnosticBag();
        documents = [];
        try
        {
            documents = ProfileInputs.Load(spec, bag);
            var bases = ProfileInputs.Catalog(documents, baseFiles, bag);
            foreach (var doc in documents)
            {
                switch (doc)
                {
                    case SeccompDocument s:
                        bag.AddRange(SeccompValidator.Validate(s.Profile, s.Spo is null ? "" : "spec."));
                        if (s.Spo?.BaseProfileName is not null)
                            Resolve(s, bases, bag);
                        break;
                    case AppArmorDocument a:
                        bag.AddRange(AppArmorValidator.Validate(a.Profile));
                        if (compiler is not null)
                            bag.AddRange(compiler.Check(AppArmorRenderer.Render(a.Profile), a.Profile.Origin.IsKnown ? a.Profile.Origin : new Origin(a.File, 0, 0)));
                        break;
                }
            }
        }
        catch (ProfileException e)
        {
            bag.Add(e.Diagnostic);
        }
        return bag.Items.ToList();
    }

    private static void Resolve(SeccompDocument doc, Profiles.Spo.BaseProfileResolver bases, DiagnosticBag bag)
    {
        try
        {
            bases.Resolve(doc.Spo!, bag);
        }
        catch (ProfileException e)
        {
            bag.Add(e.Diagnostic);
        }
    }
}
