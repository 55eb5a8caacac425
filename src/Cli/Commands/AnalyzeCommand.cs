using System.CommandLine;
using System.Text;
using Portcullis.Analyzer;
using Portcullis.Analyzer.Model;
using Portcullis.Cli.Output;
using Portcullis.Profiles.Recordings;
using Portcullis.Profiles.Seccomp;

namespace Portcullis.Cli.Commands;

internal static class AnalyzeCommand
{
    public static Command Create(CliIo io)
    {
        var dir = new Argument<string>("publish-dir") { Description = "The app's publish directory (framework-dependent or self-contained)." }.RejectOptions();
        var output = CommonOptions.Output();
        var recording = new Option<string[]>("--recording") { Description = "A recording of the app's tests (repeatable): list what analysis predicts that the tests never exercised.", HelpName = "file" };
        var json = CommonOptions.Json();
        var command = new Command("analyze", """
            Predict the syscalls a published .NET app can make from its IL, P/Invokes and native libraries, each
            with the call site that needs it. With --recording, print what the tests never exercised, grouped by
            the app's call site: the untested kernel surface, each line a place to add a test.

            Example:
              portcullis analyze bin/Release/net10.0/publish -o prediction.json
              portcullis analyze bin/Release/net10.0/publish --recording tests.json
            """)
        { dir, output, recording, json };

        command.SetAction(parse =>
        {
            var path = parse.GetValue(dir)!;
            if (!Directory.Exists(path))
                throw Profiles.Diagnostics.ProfileException.At(Profiles.Diagnostics.DiagnosticId.FileNotFound, "is not a directory", new Profiles.Diagnostics.Origin(path, 0, 0));
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var prediction = AppAnalyzer.Analyze(path);
            var bytes = PredictionJson.Write(prediction);
            if (parse.GetValue(output) is { } file)
                AtomicFile.Write(file, bytes);
            else if (parse.GetValue(json))
                io.Out.Write(Encoding.UTF8.GetString(bytes));

            var recorded = (parse.GetValue(recording) ?? []).Select(RecordingJson.Read)
                .SelectMany(r => r.Syscalls).Where(s => s.Name is not null).Select(s => s.Name!).ToHashSet(StringComparer.Ordinal);
            if (recorded.Count > 0)
            {
                var untested = prediction.Syscalls.Where(s => !recorded.Contains(s.Name)).ToList();
                io.Out.WriteLine($"{untested.Count} predicted syscalls the tests never made, by call site:");
                foreach (var site in untested.SelectMany(s => s.Evidence.Select(e => (Site: e.Source is null ? e.Site : $"{e.Site} ({e.Source})", e.Api, s.Name))).GroupBy(x => (x.Site, x.Api)).OrderBy(g => g.Key.Site, StringComparer.Ordinal))
                    io.Out.WriteLine($"  {site.Key.Site} → {site.Key.Api}: {string.Join(", ", site.Select(x => x.Name).Distinct().Order(StringComparer.Ordinal))}");
            }
            else if (!parse.GetValue(json) || parse.GetValue(output) is not null)
            {
                foreach (var s in prediction.Syscalls)
                    io.Out.WriteLine($"{s.Name,-24} {s.Evidence[0]}{(s.Count > 1 ? $" (+{s.Count - 1})" : "")}");
            }
            io.Report(prediction.Diagnostics);
            io.Err.WriteLine($"Portcullis: analysed {prediction.Application} on .NET {prediction.Runtime}: {prediction.ReachableMethods} reachable methods, P/Invokes into {(prediction.ReachedLibraries.Count == 0 ? "libc only" : string.Join(", ", prediction.ReachedLibraries))}; {prediction.Syscalls.Count} syscalls predicted in {watch.Elapsed.TotalSeconds:0.00}s");
            return 0;
        });
        return command;
    }
}
