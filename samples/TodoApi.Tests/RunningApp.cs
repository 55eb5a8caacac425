using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace TodoApi.Tests;

/// <summary>The TodoApi as a real process on a loopback port, with its own data directory and settings file.</summary>
public sealed class RunningApp : IDisposable
{
    private readonly Process _process;

    public RunningApp(string? upstream = null)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("todoapi-").FullName;
        SettingsFile = Path.Combine(Directory, "settings.json");
        File.WriteAllText(SettingsFile, """{"Greeting":"hello"}""");
        Port = FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(AppPath());
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{Port}");
        start.Environment["Todo__DataDirectory"] = Path.Combine(Directory, "data");
        start.Environment["TODO_SETTINGS"] = SettingsFile;
        start.Environment["Upstream__Url"] = upstream ?? $"http://127.0.0.1:{Port}/health";
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (Log) Log.Add(e.Data); };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port}") };
        WaitUntilHealthy();
    }

    public string Directory { get; }
    public string SettingsFile { get; }
    public int Port { get; }
    public HttpClient Client { get; }
    public List<string> Log { get; } = [];

    public void Dispose()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        _process.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private void WaitUntilHealthy()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"TodoApi exited with {_process.ExitCode}");
            try
            {
                if (Client.GetAsync("/health").GetAwaiter().GetResult().StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (HttpRequestException)
            {
            }
            Thread.Sleep(100);
        }
        throw new TimeoutException("TodoApi did not become healthy in 30 s");
    }

    private static string AppPath()
    {
        var configuration = Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)))!;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "TodoApi", "bin", configuration, "net10.0", "TodoApi.dll");
            if (File.Exists(candidate))
                return candidate;
        }
        throw new FileNotFoundException("TodoApi.dll not found next to the tests");
    }

    private static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }
}
