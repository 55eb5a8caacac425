using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Portcullis.Analyzer;
using Portcullis.Profiles.Generation;
using Portcullis.Profiles.Seccomp;
using Portcullis.Profiles.Syscalls;
using Portcullis.Recorder;
using Portcullis.Recorder.Launching;
using Portcullis.Testing;

// Usage: dotnet run -c Release --project bench/ProfileFit
// For each sample, and Shelf with each test framework's project, published with Portcullis.Build as a user would
// (framework-dependent, linux-x64):
//   needed    the syscalls the published app makes on this host while every behaviour is driven (ptrace
//             recorder), plus the container-runtime base (what runc needs after loading the filter);
//   allowed   the names the generated profile allows on x86_64;
//   tightness allowed / needed (target <= 1.15); recall: needed ⊆ allowed; precision: allowed − needed.
//   Then per proven runtime variant (runc/crun × no_new_privs), strictly: needed = what the app makes ∪ the vDSO
//   names ∪ that runtime's part; allowed = the profile a node agent writes for that runtime.
// Then the cost of publishing: publish with and without the package (PortcullisEnabled=false), minus the
// recorded test run itself (target <= 5 s), and an unchanged re-publish (target <= 1 s); and the analyzer's
// time on TodoApi next to ILLink trimming the same app.
// How many records the list behaviours return: enough that a response spans several of Kestrel's segments.
const int Many = 200;
var cli = Path.Combine(Repo.Root, "src", "Cli", "bin", "Release", "net10.0", "portcullis.dll");
Run(Repo.Root, "dotnet", "build", "-c", "Release", "--nologo", "-v", "q", Path.Combine(Repo.Root, "src", "Cli", "Portcullis.Cli.csproj"));
var launcher = LauncherCommand.ForAssembly(cli);
using var registry = LocalRegistry.Start();
var aspnet = BaseImages.Push(registry, BaseImageKind.AspNet);

// The samples, and Shelf once per test framework (the matrix strangers bring: what each framework's recorded run adds).
(string Sample, string Tests, Func<string, int, Task> Drive)[] apps =
[
    ("TodoApi", "TodoApi.Tests", DriveTodoApi), ("Worker", "Worker.Tests", DriveWorker), ("Inventory", "Inventory.Tests", DriveInventory),
    .. ShelfFrameworks.Names.Select(f => ("Shelf", $"Shelf.{f}.Tests", (Func<string, int, Task>)DriveShelf)),
];
Console.WriteLine($"{"app",-17} {"needed",7} {"allowed",8} {"tightness",10} {"missing",8} {"extra",6}   publish: {"without",8} {"with",8} {"tests",7} {"overhead",9} {"again",7}");
foreach (var (sample, testProject, drive) in apps)
{
    var shelf = sample == "Shelf";
    using var ws = shelf ? SampleWorkspace.Create(sample, [testProject]) : SampleWorkspace.Create(sample);
    // Shelf targets net8.0 and net10.0 (so that a multi-targeted test project can), like a user's app that does.
    string[] rid = shelf ? ["-f", "net10.0", "-p:ContainerRuntimeIdentifier=linux-x64"] : ["-p:ContainerRuntimeIdentifier=linux-x64"];
    var without = Time(() => ws.PublishContainer(registry, aspnet, "plain", [.. rid, "-p:PortcullisEnabled=false"]));
    var with = Time(() => ws.PublishContainer(registry, aspnet, "pcl", rid));
    var again = Time(() => ws.PublishContainer(registry, aspnet, "pcl", rid)) - Time(() => ws.PublishContainer(registry, aspnet, "plain", [.. rid, "-p:PortcullisEnabled=false"]));
    // A Microsoft.Testing.Platform project is an app that runs its tests; a VSTest one's app host runs nothing, so
    // its test time (and the overhead net of it) is not measured here.
    var testApp = Path.Combine(ws.Root, testProject, "bin", "Release", "net10.0", testProject);
    var vstest = File.ReadAllText(Path.Combine(ws.Root, testProject, testProject + ".csproj")).Contains("Microsoft.NET.Test.Sdk", StringComparison.Ordinal);
    double? tests = vstest || !File.Exists(testApp) ? null : Time(() => Run(Path.GetDirectoryName(testApp)!, testApp));
    var label = shelf ? "Shelf/" + testProject["Shelf.".Length..^".Tests".Length] : sample;

    var profile = JsonNode.Parse(File.ReadAllText(Path.Combine(ws.ProfileDirectory(), "seccomp.json")))!;
    var allowed = profile["syscalls"]!.AsArray().Where(r => r!["action"]!.GetValue<string>() == "SCMP_ACT_ALLOW")
        .SelectMany(r => r!["names"]!.AsArray().Select(n => n!.GetValue<string>())).Where(n => SyscallTable.ExistsOn(n, SeccompArch.X86_64)).ToHashSet(StringComparer.Ordinal);
    // A name the profile answers ENOSYS on purpose (clone3, newer calls) is handled, not needed: glibc and the runtime
    // fall back to an older call, and that one is needed instead: a thread the host made with clone3 is made with clone
    // in the container (the harness runs every sample that way).
    var answeredEnosys = profile["syscalls"]!.AsArray().Where(r => r!["comment"]?.GetValue<string>() == SeccompGenerator.EnosysComment)
        .SelectMany(r => r!["names"]!.AsArray().Select(n => n!.GetValue<string>())).ToHashSet(StringComparer.Ordinal);
    var recorded = await RecordDrivenAsync(ws.PublishDirectory, sample, drive, launcher);
    var driven = recorded.Where(n => !answeredEnosys.Contains(n)).Concat(recorded.Contains("clone3") && answeredEnosys.Contains("clone3") ? ["clone"] : []).ToHashSet(StringComparer.Ordinal);
    var needed = driven.Union(ContainerRuntimeBase.Names.Where(n => SyscallTable.ExistsOn(n, SeccompArch.X86_64) && !answeredEnosys.Contains(n))).ToHashSet(StringComparer.Ordinal);
    var missing = needed.Except(allowed).Order(StringComparer.Ordinal).ToList();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{label,-17} {needed.Count,7} {allowed.Count,8} {(double)allowed.Count / needed.Count,10:0.00} {missing.Count,8} {allowed.Except(needed).Count(),6}   publish: {without,7:0.0}s {with,7:0.0}s {Seconds(tests),7} {Seconds(with - without - tests),8} {again,6:0.0}s"));
    if (missing.Count > 0)
        Console.WriteLine("  needed but not allowed: " + string.Join(", ", missing));
    Console.WriteLine("  allowed, not made here: " + string.Join(", ", allowed.Except(needed).Order(StringComparer.Ordinal)));

    // Strict, per variant the cluster binds: needed = what the app makes ∪ the vDSO names ∪ what that runtime makes
    // after loading the filter (RuntimeBaseTable, found by deletion); allowed = the profile a node agent writes for it.
    var runtimeOnly = RuntimeOnly(profile);
    foreach (var variant in RuntimeBaseTable.Rows)
    {
        var variantAllowed = allowed.Except(runtimeOnly.Except(variant.Names)).ToHashSet(StringComparer.Ordinal);
        var variantNeeded = driven.Union(VdsoBase.Names).Union(variant.Names).Where(n => SyscallTable.ExistsOn(n, SeccompArch.X86_64) && !answeredEnosys.Contains(n)).ToHashSet(StringComparer.Ordinal);
        var lost = variantNeeded.Except(variantAllowed).Count();
        // What a pod with allowPrivilegeEscalation: false must not get: the identity switch.
        var identity = string.Join(",", IdentitySwitch.Names.Where(variantAllowed.Contains));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {variant.Runtime}/{variant.Version} no_new_privs {(variant.NoNewPrivileges ? "on " : "off")}: needed {variantNeeded.Count,4} allowed {variantAllowed.Count,4} tightness {(double)variantAllowed.Count / variantNeeded.Count:0.00} missing {lost} identity switch allowed: {(identity.Length == 0 ? "none" : identity)}"));
        Console.WriteLine("    allowed, not needed: " + string.Join(", ", variantAllowed.Except(variantNeeded).Order(StringComparer.Ordinal)));
    }
}

// The names a generated seccomp.json allows only for the container runtime (its commented rule, minus other rules' names).
static HashSet<string> RuntimeOnly(JsonNode profile)
{
    var rules = profile["syscalls"]!.AsArray().Where(r => r!["action"]!.GetValue<string>() == "SCMP_ACT_ALLOW" && r["args"] is null).ToList();
    static IEnumerable<string> Names(JsonNode? rule) => rule!["names"]!.AsArray().Select(n => n!.GetValue<string>());
    var elsewhere = rules.Where(r => r!["comment"]?.GetValue<string>() != SeccompGenerator.BaseComment).SelectMany(Names).ToHashSet(StringComparer.Ordinal);
    return rules.Where(r => r!["comment"]?.GetValue<string>() == SeccompGenerator.BaseComment).SelectMany(Names).Where(n => !elsewhere.Contains(n)).ToHashSet(StringComparer.Ordinal);
}

// The analyzer on TodoApi (the whole Microsoft.AspNetCore.App closure framework-dependent), next to ILLink trimming it.
using (var ws = SampleWorkspace.Create("TodoApi"))
{
    Run(ws.Root, "dotnet", "publish", ws.Project, "-c", "Release", "-r", "linux-x64", "--self-contained", "-nologo", "-p:PortcullisEnabled=false", "-o", Path.Combine(ws.Root, "sc"));
    var cold = Time(() => Run(ws.Root, "dotnet", cli, "analyze", Path.Combine(ws.Root, "sc"), "-o", Path.Combine(ws.Root, "p.json")));
    var inProcess = Time(() => AppAnalyzer.Analyze(Path.Combine(ws.Root, "sc")));
    var trimmed = Time(() => Run(ws.Root, "dotnet", "publish", ws.Project, "-c", "Release", "-r", "linux-x64", "--self-contained", "-nologo", "-p:PortcullisEnabled=false", "-p:PublishTrimmed=true", "-o", Path.Combine(ws.Root, "trimmed")));
    var untrimmed = Time(() => Run(ws.Root, "dotnet", "publish", ws.Project, "-c", "Release", "-r", "linux-x64", "--self-contained", "-nologo", "-p:PortcullisEnabled=false", "-o", Path.Combine(ws.Root, "sc2")));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"analyzer on TodoApi (self-contained publish): {cold:0.00}s as `portcullis analyze` (process start included), {inProcess:0.00}s in process; ILLink: trimmed publish {trimmed:0.0}s − untrimmed {untrimmed:0.0}s = {trimmed - untrimmed:0.0}s; ratio analyzer/ILLink {cold / Math.Max(0.01, trimmed - untrimmed):0.00}"));
}

static string Seconds(double? s) => s is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) + "s" : "n/a";

static double Time(Action action)
{
    var watch = Stopwatch.StartNew();
    action();
    return watch.Elapsed.TotalSeconds;
}

static void Run(string dir, string file, params string[] args)
{
    var start = new ProcessStartInfo(file) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var a in args)
        start.ArgumentList.Add(a);
    using var p = Process.Start(start)!;
    var output = p.StandardOutput.ReadToEndAsync();
    var error = p.StandardError.ReadToEndAsync();
    p.WaitForExit();
    if (p.ExitCode != 0)
        throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {p.ExitCode}:\n{output.Result}\n{error.Result}");
}

// The published app on this host under the ptrace recorder while `drive` exercises every behaviour, then SIGTERM.
static async Task<HashSet<string>> RecordDrivenAsync(string publish, string sample, Func<string, int, Task> drive, LauncherCommand launcher)
{
    var port = FreePort.Next();
    var data = Directory.CreateTempSubdirectory("portcullis-fit-").FullName;
    using var stop = new CancellationTokenSource();
    var env = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!);
    env["ASPNETCORE_HTTP_PORTS"] = port.ToString(CultureInfo.InvariantCulture);
    env["Upstream__Url"] = $"http://127.0.0.1:{port}/health";
    env["Inventory__DataDirectory"] = data;
    env["Logging__LogLevel__Default"] = "Warning";
    env["TODO_SETTINGS"] = Path.Combine(data, "settings.json");
    File.WriteAllText(env["TODO_SETTINGS"], "{}");
    string[] args = sample == "Worker" ? [Path.Combine(data, "in"), Path.Combine(data, "out"), Path.Combine(data, "results.sock")] : [];
    if (sample == "Worker")
    {
        Directory.CreateDirectory(Path.Combine(data, "in"));
        for (var i = 0; i < 6; i++)
            File.WriteAllText(Path.Combine(data, "in", $"f{i}.txt"), new string('w', 100 * (i + 1)));
    }
    var listener = sample == "Worker" ? Listen(Path.Combine(data, "results.sock")) : null;
    var recording = Recorder.RecordAsync(new RecordRequest { Path = Path.Combine(publish, sample), Arguments = args, Environment = env, WorkingDirectory = publish, Backend = BackendChoice.Ptrace, Launcher = launcher }, stop.Token);
    try
    {
        await drive(data, port);
    }
    finally
    {
        if (sample != "Worker")
            stop.CancelAfter(500);
    }
    var result = await recording;
    listener?.Dispose();
    Directory.Delete(data, recursive: true);
    return result.Recording.Syscalls.Where(s => s.Architecture == SeccompArch.X86_64 && s.Name is not null).Select(s => s.Name!).ToHashSet(StringComparer.Ordinal);
}

static Socket Listen(string path)
{
    var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    socket.Bind(new UnixDomainSocketEndPoint(path));
    socket.Listen(1);
    _ = Task.Run(async () =>
    {
        using var peer = await socket.AcceptAsync();
        await new NetworkStream(peer).CopyToAsync(Stream.Null);
    });
    return socket;
}

static async Task<HttpClient> HealthyAsync(int port, string path = "/health")
{
    var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
    for (var i = 0; i < 300; i++)
    {
        try
        {
            if ((await http.GetAsync(path)).IsSuccessStatusCode)
                return http;
        }
        catch (HttpRequestException)
        {
        }
        await Task.Delay(100);
    }
    throw new InvalidOperationException("the app did not become healthy");
}

// Each behaviour as production meets it: lists long enough that Kestrel sends them in several segments, and the
// settings file the app watches (reloadOnChange) changed while it runs, as a ConfigMap update does.
static async Task DriveTodoApi(string data, int port)
{
    using var http = await HealthyAsync(port);
    var created = (await (await http.PostAsJsonAsync("/todos", new { title = "fit" })).Content.ReadFromJsonAsync<JsonObject>())!;
    var id = created["id"]!.GetValue<string>();
    await http.GetStringAsync($"/todos/{id}");
    created["done"] = true;
    await http.PutAsJsonAsync($"/todos/{id}", created);
    for (var i = 0; i < Many; i++)
        (await http.PostAsJsonAsync("/todos", new { title = LongName(i) })).EnsureSuccessStatusCode();
    await http.GetStringAsync("/todos");
    await http.GetStringAsync("/upstream");
    await File.WriteAllTextAsync(Path.Combine(data, "settings.json"), """{ "Greeting": "changed" }""");
    await ChangedAsync(http, "/config", "changed");
    await http.GetStringAsync("/stats");
    await http.DeleteAsync($"/todos/{id}");
}

// Until the app answers with the text (a reload is asynchronous): the recorder sees whatever the reload makes.
static async Task ChangedAsync(HttpClient http, string path, string text)
{
    for (var i = 0; i < 300 && !(await http.GetStringAsync(path)).Contains(text, StringComparison.Ordinal); i++)
        await Task.Delay(100);
}

static string LongName(int i) => i.ToString(CultureInfo.InvariantCulture) + new string('x', 3000);

static Task DriveWorker(string data, int port) => Task.CompletedTask;

static async Task DriveShelf(string data, int port)
{
    using var http = await HealthyAsync(port, "/");
    (await http.PostAsync("/label/fit", null)).EnsureSuccessStatusCode();
}

static async Task DriveInventory(string data, int port)
{
    using var http = await HealthyAsync(port);
    var item = (await (await http.PostAsJsonAsync("/items", new { name = "bolts", quantity = 4 })).Content.ReadFromJsonAsync<JsonObject>())!;
    for (var i = 0; i < Many; i++)
        (await http.PostAsJsonAsync("/items", new { name = LongName(i), quantity = i })).EnsureSuccessStatusCode();
    await http.GetStringAsync("/items");
    (await http.PostAsync("/export", null)).EnsureSuccessStatusCode();
    await http.DeleteAsync($"/items/{item["id"]}");
}
