using System.Diagnostics;
using System.Globalization;
using Portcullis.Analyzer;
using Portcullis.Testing;

// Usage: dotnet run -c Release --project bench/AnalyzerSpeed [rounds]
// For each sample, published framework-dependent (its framework is the installed shared framework, not copied):
//   cold   `portcullis analyze` with an empty summary cache: the app's and the framework's IL walked, every
//          native library its P/Invokes reach disassembled and summarised (target <= 10 s);
//   warm   the same with the cache filled, as on every later publish on this machine or with a CI cache (target <= 0.5 s);
//   inproc AppAnalyzer.Analyze in this process, warm, JIT done: the walk alone.
// Medians of the rounds. Then ILLink trimming TodoApi (a trimmed self-contained publish minus an untrimmed one).
var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
var cli = Path.Combine(Repo.Root, "src", "Cli", "bin", "Release", "net10.0", "portcullis.dll");
Run(Repo.Root, [], "dotnet", "build", "-c", "Release", "--nologo", "-v", "q", Path.Combine(Repo.Root, "src", "Cli", "Portcullis.Cli.csproj"));

Console.WriteLine($"{"sample",-10} {"methods",8} {"syscalls",9} {"cold",7} {"warm",7} {"inproc",7}   cold/10s warm/0.5s");
foreach (var sample in new[] { "TodoApi", "Inventory", "Worker", "Gauntlet" })
{
    using var ws = SampleWorkspace.Create(sample);
    var publish = Path.Combine(ws.Root, "publish");
    Run(ws.Root, [], "dotnet", "publish", ws.Project, "-c", "Release", "-r", "linux-x64", "--self-contained", "false", "-nologo", "-p:PortcullisEnabled=false", "-o", publish);
    var cold = new List<double>();
    var warm = new List<double>();
    for (var i = 0; i < rounds; i++)
    {
        var cache = Directory.CreateTempSubdirectory("portcullis-cache-").FullName;
        string[] env = ["PORTCULLIS_CACHE=" + cache];
        cold.Add(Time(() => Run(ws.Root, env, "dotnet", cli, "analyze", publish, "-o", Path.Combine(ws.Root, "p.json"))));
        warm.Add(Time(() => Run(ws.Root, env, "dotnet", cli, "analyze", publish, "-o", Path.Combine(ws.Root, "p.json"))));
        Directory.Delete(cache, recursive: true);
    }
    _ = AppAnalyzer.Analyze(publish);
    var inProcess = new List<double>();
    Portcullis.Analyzer.Model.Prediction? prediction = null;
    for (var i = 0; i < rounds; i++)
        inProcess.Add(Time(() => prediction = AppAnalyzer.Analyze(publish)));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{sample,-10} {prediction!.ReachableMethods,8} {prediction.Syscalls.Count,9} {Median(cold),6:0.00}s {Median(warm),6:0.00}s {Median(inProcess),6:0.00}s   {Median(cold) / 10,8:0.00} {Median(warm) / 0.5,9:0.00}"));
}

using (var ws = SampleWorkspace.Create("TodoApi"))
{
    var trimmed = Time(() => Run(ws.Root, [], "dotnet", "publish", ws.Project, "-c", "Release", "-r", "linux-x64", "--self-contained", "-nologo", "-p:PortcullisEnabled=false", "-p:PublishTrimmed=true", "-o", Path.Combine(ws.Root, "trimmed")));
    var untrimmed = Time(() => Run(ws.Root, [], "dotnet", "publish", ws.Project, "-c", "Release", "-r", "linux-x64", "--self-contained", "-nologo", "-p:PortcullisEnabled=false", "-o", Path.Combine(ws.Root, "untrimmed")));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ILLink on TodoApi: trimmed publish {trimmed:0.0}s − untrimmed {untrimmed:0.0}s = {trimmed - untrimmed:0.0}s"));
}

static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

static double Time(Action action)
{
    var watch = Stopwatch.StartNew();
    action();
    return watch.Elapsed.TotalSeconds;
}

static void Run(string dir, string[] env, string file, params string[] args)
{
    var start = new ProcessStartInfo(file) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var a in args)
        start.ArgumentList.Add(a);
    foreach (var e in env)
        start.Environment[e[..e.IndexOf('=', StringComparison.Ordinal)]] = e[(e.IndexOf('=', StringComparison.Ordinal) + 1)..];
    using var p = Process.Start(start)!;
    var output = p.StandardOutput.ReadToEndAsync();
    var error = p.StandardError.ReadToEndAsync();
    p.WaitForExit();
    if (p.ExitCode != 0)
        throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {p.ExitCode}:\n{output.Result}\n{error.Result}");
}
