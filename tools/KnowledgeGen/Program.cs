using System.Net;
using System.Net.Sockets;
using Portcullis.Analyzer.Knowledge;
using Portcullis.Profiles.Seccomp;
using Portcullis.Recorder;
using Portcullis.Recorder.Launching;

// Usage: KnowledgeGen <KnowledgeProbe.dll> <portcullis.dll> <output.json> [runs]
// Each probe runs under the ptrace recorder (`runs` times, default 3; the union is kept, since thread timing
// varies). A group keeps everything its probe made, the empty probe's syscalls included: an app may turn off
// what makes them in the empty probe (diagnostics' socket), and then still needs them for the API it uses.
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: KnowledgeGen <KnowledgeProbe.dll> <portcullis.dll> <output.json> [runs]");
    return 2;
}
var (probe, cli, output) = (Path.GetFullPath(args[0]), Path.GetFullPath(args[1]), args[2]);
var runs = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 3;
var launcher = LauncherCommand.ForAssembly(cli);
var dotnet = launcher.Executable;

using var server = new ProbeHttpServer();
var groups = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
var names = ProbeGroups(dotnet, probe);
var measured = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
foreach (var name in names)
{
    var all = new SortedSet<string>(StringComparer.Ordinal);
    for (var run = 0; run < runs; run++)
    {
        var dir = Directory.CreateTempSubdirectory("portcullis-probe-").FullName;
        try
        {
            var request = new RecordRequest { Path = dotnet, Arguments = ["exec", probe, name, dir, server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)], Backend = BackendChoice.Ptrace, Launcher = launcher, WorkingDirectory = dir };
            var recording = Recorder.RecordAsync(request);
            if (name == "kestrel")
                await KestrelClient.DriveAsync(dir);
            var result = await recording;
            if (result.ExitCode != 0)
                throw new InvalidOperationException($"probe {name} exited with {result.ExitCode}");
            all.UnionWith(result.Recording.Syscalls.Where(s => s.Architecture == SeccompArch.X86_64 && s.Name is not null).Select(s => s.Name!));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
    measured[name] = all;
    Console.WriteLine($"{name}: {all.Count} syscalls");
}
var baseline = measured["empty"];
foreach (var (name, set) in measured.Where(m => m.Key != "empty"))
    groups[name] = [.. set];

var knowledge = new KnowledgeBase
{
    Runtime = Environment.Version.ToString(),
    Architecture = "x86_64",
    Kernel = Environment.OSVersion.Version.ToString(),
    MeasuredWith = $"tools/KnowledgeGen: each probe of tools/KnowledgeProbe under the ptrace recorder, {runs} runs, union; group = everything its probe made",
    RuntimeBase = [.. baseline],
    Groups = groups,
};
await File.WriteAllBytesAsync(output, knowledge.ToJson());
Console.WriteLine($"wrote {output}");
return 0;

/// <summary>The groups the probe program has (KnowledgeProbe --list), so that this list is written once.</summary>
static string[] ProbeGroups(string dotnet, string probe)
{
    var start = new System.Diagnostics.ProcessStartInfo(dotnet) { RedirectStandardOutput = true };
    foreach (var a in new[] { "exec", probe, "--list" })
        start.ArgumentList.Add(a);
    using var process = System.Diagnostics.Process.Start(start)!;
    var names = process.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    process.WaitForExit();
    return process.ExitCode == 0 && names.Contains("empty") ? names : throw new InvalidOperationException("KnowledgeProbe --list failed");
}

/// <summary>Answers any HTTP request on a loopback port with 200 "ok", so that client probes have a server outside the recorded process.</summary>
internal sealed class ProbeHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();

    public ProbeHttpServer()
    {
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket peer;
            try
            {
                peer = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            _ = Task.Run(async () =>
            {
                using (peer)
                {
                    var buffer = new byte[8192];
                    await peer.ReceiveAsync(buffer);
                    await peer.SendAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"u8.ToArray());
                    peer.Shutdown(SocketShutdown.Both);
                }
            });
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }
}

/// <summary>Waits for the Kestrel probe to write its port, then sends the requests a client would, and /stop.</summary>
internal static class KestrelClient
{
    public static async Task DriveAsync(string dir)
    {
        var portFile = Path.Combine(dir, "port");
        for (var i = 0; i < 300 && !File.Exists(portFile); i++)
            await Task.Delay(100);
        await Task.Delay(100);
        var port = int.Parse(await File.ReadAllTextAsync(portFile), System.Globalization.CultureInfo.InvariantCulture);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        _ = await http.GetStringAsync("/");
        _ = await http.PostAsync("/echo", new StringContent(new string('x', 100000)));
        _ = await http.GetStringAsync("/health");
        using var second = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        _ = await second.GetStringAsync("/");
        _ = await http.GetStringAsync("/stop");
    }
}
