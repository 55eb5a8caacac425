using System.Diagnostics;
using System.Globalization;

// Whole-process benchmark of the recorder (issue: eBPF <= 1.05x unrecorded; ptrace <= 0.7x strace -f).
// Usage: dotnet run -c Release --project bench/RecorderOverhead -- [rounds] [workload test project]
// Every round runs each configuration once, in rotating order; medians are compared. "library" calls the
// Recorder in this process, as the build task does; "cli" runs `portcullis record`, which adds the CLI's
// own start-up.
using Portcullis.Recorder;
using Portcullis.Recorder.Launching;
using Portcullis.Profiles.Recordings;

var root = FindRoot();
var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
var workload = args.Length > 1 ? Path.GetFullPath(args[1]) : Path.Combine(root, "bench", "Workload.Tests", "Workload.Tests.csproj");
var portcullis = Path.Combine(root, "src", "Cli", "bin", "Release", "net10.0", "portcullis.dll");

Run("dotnet", ["build", "-c", "Release", "--nologo", "-v", "q", Path.Combine(root, "src", "Cli", "Portcullis.Cli.csproj")], mustPass: true);
Run("dotnet", ["build", "-c", "Release", "--nologo", "-v", "q", workload], mustPass: true);
// The CLI as CI images and nodes get it: one trimmed, ReadyToRun-compiled file (no JIT at start-up).
var singleDir = Path.Combine(Path.GetTempPath(), "portcullis-bench-single");
Run("dotnet", ["publish", "-c", "Release", "--nologo", "-v", "q", "-r", "linux-x64", "--self-contained", "-p:PublishSingleFile=true", "-p:PublishTrimmed=true", "-p:PublishReadyToRun=true", "-o", singleDir, Path.Combine(root, "src", "Cli", "Portcullis.Cli.csproj")], mustPass: true);
var single = Path.Combine(singleDir, "portcullis");

string[] test = ["dotnet", "test", "--project", workload, "-c", "Release", "--no-build", "--no-restore"];
var recording = Path.Combine(Path.GetTempPath(), "portcullis-bench-recording.json");
var launcher = LauncherCommand.ForAssembly(portcullis);
var configs = new (string Name, Func<double> Measure)[]
{
    ("unrecorded", () => Time(test)),
    ("ebpf lib", () => Library(BackendChoice.Ebpf)),
    ("ptrace lib", () => Library(BackendChoice.Ptrace)),
    ("ebpf cli", () => Time(["dotnet", portcullis, "record", "--backend", "ebpf", "-o", recording, "--", .. test])),
    ("ptrace cli", () => Time(["dotnet", portcullis, "record", "--backend", "ptrace", "-o", recording, "--", .. test])),
    ("ebpf single", () => Time([single, "record", "--backend", "ebpf", "-o", recording, "--", .. test])),
    ("strace -f", () => Time(["strace", "-f", "-o", "/dev/null", .. test])),
};

double Library(BackendChoice backend)
{
    var watch = Stopwatch.StartNew();
    var result = Recorder.RecordAsync(new RecordRequest { Path = test[0], Arguments = test[1..], Backend = backend, Launcher = launcher }).GetAwaiter().GetResult();
    File.WriteAllBytes(recording, RecordingJson.Write(result.Recording));
    if (result.ExitCode != 0)
        throw new InvalidOperationException($"the recorded workload exited {result.ExitCode}");
    return watch.Elapsed.TotalSeconds;
}

Console.WriteLine($"workload: {string.Join(' ', test)}");
Console.WriteLine($"rounds: {rounds} (plus one warm-up), machine: {Environment.ProcessorCount} cores");
foreach (var c in configs)
    c.Measure();

var times = configs.ToDictionary(c => c.Name, _ => new List<double>());
for (var round = 0; round < rounds; round++)
{
    for (var i = 0; i < configs.Length; i++)
    {
        var c = configs[(i + round) % configs.Length];
        times[c.Name].Add(c.Measure());
    }
}

double Median(string name)
{
    var sorted = times[name].Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

Console.WriteLine();
Console.WriteLine($"{"configuration",-12} {"median s",9} {"runs (s)",-40}");
foreach (var c in configs)
    Console.WriteLine($"{c.Name,-12} {Median(c.Name),9:0.000} {string.Join(' ', times[c.Name].Select(t => t.ToString("0.000", CultureInfo.InvariantCulture)))}");

// The ratio of medians with a 95 % bootstrap interval (resampling each configuration's runs, 2,000 times):
// run-to-run noise here is often larger than the margin to a target, so "met" needs the whole interval
// below it, "missed" the whole interval above it, and anything else is "undecided".
void Ratio(string label, string a, string b, double? target = null)
{
    var r = Median(a) / Median(b);
    var random = new Random(12345);
    var samples = Enumerable.Range(0, 2000).Select(_ => MedianOf(Resample(times[a], random)) / MedianOf(Resample(times[b], random))).Order().ToList();
    var (low, high) = (samples[(int)(samples.Count * 0.025)], samples[(int)(samples.Count * 0.975)]);
    var verdict = target is not { } t ? "" : high <= t ? $"  (target <= {t:0.00}) met" : low > t ? $"  (target <= {t:0.00}) MISSED" : $"  (target <= {t:0.00}) undecided: the interval straddles it";
    Console.WriteLine($"{label,-26} = {r:0.000}  95% interval {low:0.000}-{high:0.000}{verdict}");
}

static List<double> Resample(List<double> runs, Random random) => runs.Select(_ => runs[random.Next(runs.Count)]).ToList();

static double MedianOf(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

Console.WriteLine();
Ratio("ebpf lib / unrecorded", "ebpf lib", "unrecorded", 1.05);
Ratio("ptrace lib / strace -f", "ptrace lib", "strace -f", 0.70);
Ratio("ebpf cli / unrecorded", "ebpf cli", "unrecorded");
Ratio("ebpf single / unrecorded", "ebpf single", "unrecorded", 1.05);
Ratio("ptrace cli / strace -f", "ptrace cli", "strace -f");
Ratio("ptrace lib / unrecorded", "ptrace lib", "unrecorded");
Ratio("strace -f / unrecorded", "strace -f", "unrecorded");
File.Delete(recording);
return 0;

static double Time(string[] command)
{
    var watch = Stopwatch.StartNew();
    Run(command[0], command[1..], mustPass: true);
    return watch.Elapsed.TotalSeconds;
}

static void Run(string file, string[] args, bool mustPass)
{
    var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var a in args)
        start.ArgumentList.Add(a);
    using var p = Process.Start(start)!;
    var stdout = p.StandardOutput.ReadToEndAsync();
    var stderr = p.StandardError.ReadToEndAsync();
    p.WaitForExit();
    if (mustPass && p.ExitCode != 0)
        throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {p.ExitCode}:\n{stdout.Result}\n{stderr.Result}");
}

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "BuildTools.sln")))
            return dir.FullName;
    }
    throw new InvalidOperationException("run from inside the repository");
}
