using System.CommandLine;
using System.Text;
using Portcullis.Cli.Output;
using Portcullis.Pipeline;
using Portcullis.Profiles.Diagnostics;
using Portcullis.Profiles.Generation;
using Portcullis.Profiles.Recordings;
using Portcullis.Profiles.Seccomp;

namespace Portcullis.Cli.Commands;

internal static class GenerateCommand
{
    public static Command Create(CliIo io)
    {
        var recordings = new Option<string[]>("--recording") { Description = "A recording.json (repeatable); FILE=LABEL names it in the report (default: the file name).", HelpName = "file[=label]" };
        var arch = new Option<string[]>("--arch") { Description = "Target architecture (x86_64, aarch64, or a RID such as linux-arm64; repeatable). Default: the recorded ones.", HelpName = "arch" };
        var allow = new Option<string[]>("--allow") { Description = "Also allow this syscall (repeatable).", HelpName = "syscall" };
        var deny = new Option<string[]>("--deny") { Description = "Never allow this syscall, whatever else names it (repeatable).", HelpName = "syscall" };
        var ioUring = new Option<bool>("--allow-io-uring") { Description = "Keep io_uring when it is recorded or named (it bypasses seccomp; denied by default)." };
        var noDotnet = new Option<bool>("--no-dotnet-base") { Description = "Leave out the .NET runtime base (for programs that are not .NET apps)." };
        var previous = new Option<string?>("--previous") { Description = "The previous seccomp.json, to list in the report what changed.", HelpName = "file" };
        var name = new Option<string>("--name") { Description = "The app's name, for the report and the AppArmor profile.", DefaultValueFactory = _ => "app" };
        var appDir = new Option<string>("--app-dir") { Description = "Where the app lives in the container (for the AppArmor profile).", DefaultValueFactory = _ => "/app" };
        var writable = new Option<string[]>("--writable") { Description = "A directory the app writes below in its container, besides /tmp and home (a volume: /data; repeatable); for the AppArmor profile.", HelpName = "dir" };
        var prediction = new Option<string?>("--prediction") { Description = "prediction.json from `portcullis analyze`: its syscalls are allowed, each with its call site.", HelpName = "file" };
        var note = new Option<string[]>("--note") { Description = "A line for the report's header (repeatable).", HelpName = "text" };
        var output = new Option<string>("--output", "-o") { Description = "The directory to write seccomp.json, apparmor.profile and report.md to.", Required = true, HelpName = "dir" };
        var command = new Command("generate", """
            Generate a container's seccomp and AppArmor profiles, and report.md saying why each syscall is
            allowed, from saved recordings: recorded ∪ .NET runtime base ∪ container-runtime base ∪ vDSO calls ∪
            --allow − --deny, translated by name for other architectures. Files are written atomically.

            Example:
              portcullis generate --recording tests.json=TodoApi.Tests --arch linux-x64 --name todoapi -o publish/portcullis
            """)
        { recordings, arch, allow, deny, ioUring, noDotnet, previous, name, appDir, writable, prediction, note, output };

        command.SetAction(parse =>
        {
            var bag = new DiagnosticBag();
            var labeled = (parse.GetValue(recordings) ?? []).Select(spec =>
            {
                var eq = spec.IndexOf('=', StringComparison.Ordinal);
                var path = eq < 0 ? spec : spec[..eq];
                return new LabeledRecording(eq < 0 ? Path.GetFileNameWithoutExtension(path) : spec[(eq + 1)..], RecordingJson.Read(path));
            }).ToList();
            var result = ProfilePipeline.Run(new PipelineRequest
            {
                AppName = parse.GetValue(name)!,
                Recordings = labeled,
                Prediction = parse.GetValue(prediction) is { } predictionPath ? ReadPrediction(predictionPath) : null,
                Previous = parse.GetValue(previous) is { } previousPath && File.Exists(previousPath) ? PreviousProfile.Read(previousPath) : null,
                Targets = (parse.GetValue(arch) ?? []).Select(ParseArch).ToList(),
                Allow = parse.GetValue(allow) ?? [],
                Deny = parse.GetValue(deny) ?? [],
                AllowIoUring = parse.GetValue(ioUring),
                DotnetBase = !parse.GetValue(noDotnet),
                AppDirectory = parse.GetValue(appDir)!,
                Writable = parse.GetValue(writable) ?? [],
                Notes = parse.GetValue(note) ?? [],
            }, bag);

            var dir = parse.GetValue(output)!;
            Directory.CreateDirectory(dir);
            AtomicFile.Write(Path.Combine(dir, "seccomp.json"), Encoding.UTF8.GetBytes(result.SeccompJson));
            AtomicFile.Write(Path.Combine(dir, "apparmor.profile"), Encoding.UTF8.GetBytes(result.AppArmorProfile));
            AtomicFile.Write(Path.Combine(dir, "report.md"), Encoding.UTF8.GetBytes(result.Report));
            io.Report(bag.Items);
            io.Out.WriteLine($"Portcullis: {result.Summary} -> {Path.GetFullPath(dir)}");
            return 0;
        });
        return command;
    }

    private static Portcullis.Analyzer.Model.Prediction ReadPrediction(string path)
    {
        try
        {
            return Portcullis.Analyzer.Model.PredictionJson.Read(path);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            throw ProfileException.At(DiagnosticId.UnrecognizedDocument, e.Message, new Origin(path, 0, 0));
        }
    }

    // x86_64, aarch64, SCMP_ARCH_*, Go names, and RIDs (linux-x64, linux-musl-arm64).
    internal static SeccompArch ParseArch(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        var rid = t.Contains('-', StringComparison.Ordinal) && t.StartsWith("linux", StringComparison.Ordinal) ? t[(t.LastIndexOf('-') + 1)..] : null;
        var arch = rid switch
        {
            "x64" => SeccompArch.X86_64,
            "arm64" => SeccompArch.Aarch64,
            "arm" => SeccompArch.Arm,
            "x86" => SeccompArch.X86,
            "s390x" => SeccompArch.S390X,
            "ppc64le" => SeccompArch.Ppc64Le,
            "riscv64" => SeccompArch.RiscV64,
            "loongarch64" => SeccompArch.Loongarch64,
            _ => (SeccompArch?)null,
        };
        if (arch is { } fromRid)
            return fromRid;
        if (SeccompArchitectures.Wire.TryParse(t.StartsWith("scmp_arch_", StringComparison.Ordinal) ? t.ToUpperInvariant() : "SCMP_ARCH_" + t.ToUpperInvariant(), out var wire))
            return wire;
        return SeccompArchitectures.FromGoArch(t) ?? throw ProfileException.At(DiagnosticId.UsageError, $"unknown architecture '{text}' (x86_64, aarch64, or a RID such as linux-x64)", default);
    }
}
