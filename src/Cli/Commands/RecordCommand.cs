using System.CommandLine;
using System.Diagnostics;
using Portcullis.Cli.Output;
using Portcullis.Cli.TestProjects;
using Portcullis.Profiles.AppArmor;
using Portcullis.Profiles.Diagnostics;
using Portcullis.Recorder;
using Portcullis.Profiles.Generation;
using Portcullis.Profiles.Recordings;

namespace Portcullis.Cli.Commands;

internal static class RecordCommand
{
    public static Command Create(CliIo io)
    {
        var command = TargetCommand.Argument();
        var backend = new Option<BackendChoice>("--backend") { Description = "auto (eBPF when permitted, else ptrace), ebpf or ptrace.", DefaultValueFactory = _ => BackendChoice.Auto };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the recording.", DefaultValueFactory = _ => "recording.json", HelpName = "file" };
        var seccomp = new Option<string?>("--seccomp") { Description = "Also write a seccomp profile generated from the recording.", HelpName = "file" };
        var apparmor = new Option<string?>("--apparmor") { Description = "Also write an AppArmor profile generated from the recording (needs the ptrace backend for files).", HelpName = "file" };
        var name = new Option<string?>("--profile-name") { Description = "Name of the AppArmor profile (default: portcullis-<program>)." };
        var tests = new Option<string?>("--tests") { Description = "Record a built test project's run instead of a command: its test assembly (Microsoft.Testing.Platform apps run as themselves; VSTest ones under --vstest).", HelpName = "TestProject.dll" };
        var vstest = new Option<string?>("--vstest") { Description = "The SDK's vstest.console.dll, for VSTest projects.", HelpName = "file" };
        command.Arity = ArgumentArity.ZeroOrMore;
        var cmd = new Command("record", """
            Run a command and record what it does in the kernel: syscalls of every thread and child from its
            execve on, and (ptrace backend) files, executed programs and sockets. Exits with the command's
            exit code. Ctrl+C is forwarded to the command and the recording is still written.

            Example:
              portcullis record -o recording.json --seccomp seccomp.json -- dotnet test
              portcullis record --backend ptrace --apparmor app.profile -- ./MyApp --selftest
              portcullis record --tests tests/App.Tests/bin/Release/net10.0/App.Tests.dll -o app-tests.json
            """)
        { command, backend, output, seccomp, apparmor, name, tests, vstest };

        cmd.SetAction(parse =>
        {
            var target = parse.GetValue(command) ?? [];
            var testAssembly = parse.GetValue(tests);
            if ((target.Length == 0) == (testAssembly is null))
                throw ProfileException.At(DiagnosticId.UsageError, "give either a command after -- or --tests", default);
            using var interrupts = new Interrupts();
            using var live = LiveLine.Start(io);
            var watch = Stopwatch.StartNew();
            var request = testAssembly is null
                ? TargetCommand.Request(target, parse.GetValue(backend), live.Callback)
                : TestApp.Request(testAssembly, parse.GetValue(vstest), parse.GetValue(backend), live.Callback);
            target = [request.Path, .. request.Arguments];
            var result = Recorder.Recorder.RecordAsync(request, interrupts.Token).GetAwaiter().GetResult();
            live.Dispose();
            var bag = new DiagnosticBag();
            if (result.FallbackReason is { } why)
                bag.Add(Diagnostic.Info(DiagnosticId.RecorderFallback, "recording with ptrace: " + why));
            bag.AddRange(result.Notes.Select(note => Diagnostic.Info(DiagnosticId.RecordingIncomplete, note)));
            bag.AddRange(result.Warnings);
            AtomicFile.Write(parse.GetValue(output)!, RecordingJson.Write(result.Recording));
            if (parse.GetValue(seccomp) is { } seccompPath)
                AtomicFile.Write(seccompPath, System.Text.Encoding.UTF8.GetBytes(ProfileRendering.OciJson(SeccompGenerator.Generate(new GenerationRequest { Recordings = [new LabeledRecording(string.Join(' ', target), result.Recording)] }, bag).Profile)));
            if (parse.GetValue(apparmor) is { } apparmorPath)
            {
                if (result.Recording.Files.Count == 0)
                    bag.Add(Diagnostic.Warning(DiagnosticId.AppArmorWithoutFiles, $"the {result.Backend.ToString().ToLowerInvariant()} backend recorded no files, so the AppArmor profile allows no file access at all and the program will not run under it; record with --backend ptrace for file rules"));
                var profileName = parse.GetValue(name) ?? "portcullis-" + Path.GetFileName(target[0]);
                AtomicFile.Write(apparmorPath, System.Text.Encoding.UTF8.GetBytes(AppArmorRenderer.Render(AppArmorGenerator.FromRecording(result.Recording, profileName))));
            }
            io.Report(bag.Items);

            var r = result.Recording;
            io.Err.WriteLine($"recorded {r.Syscalls.Count} distinct syscalls ({r.Syscalls.Sum(s => s.Count)} calls), {r.Files.Count} files, {r.Executables.Count} programs with {result.Backend.ToString().ToLowerInvariant()} in {watch.Elapsed.TotalSeconds:0.0}s; exit code {result.ExitCode}");
            return result.ExitCode;
        });
        return cmd;
    }
}
