using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Portcullis.Analyzer.Cases;

// Each case: a static Run method (the analysis root) and what it expects.

[Expect("socket", "connect"), ExpectGroup("tcp-client")]
public static class TcpConnect
{
    public static void Run()
    {
        using var client = new TcpClient();
        client.Connect(IPAddress.Loopback, 80);
    }
}

[Expect("sendto"), ExpectGroup("udp"), ForbidGroup("tcp-server")]
public static class UdpMetrics
{
    public static void Run()
    {
        using var udp = new UdpClient();
        udp.Send("m:1|c"u8.ToArray(), 5, "127.0.0.1", 8125);
    }
}

[Expect("rename", "fsync"), ExpectGroup("files")]
public static class FilesAndRename
{
    public static void Run()
    {
        File.WriteAllText("/tmp/a", "x");
        File.Move("/tmp/a", "/tmp/b");
    }
}

[Expect("inotify_init1", "inotify_add_watch"), ExpectGroup("file-watcher")]
public static class Watcher
{
    public static void Run()
    {
        using var w = new FileSystemWatcher("/tmp") { EnableRaisingEvents = true };
    }
}

[Expect("vfork", "wait4"), ExpectGroup("process")]
public static class ChildProcess
{
    public static void Run() => Process.Start("/bin/true")!.WaitForExit();
}

[Expect("sendmmsg"), ExpectGroup("dns")]
public static class Resolve
{
    public static void Run() => _ = Dns.GetHostAddresses("example.org");
}

[Expect("flock"), ExpectGroup("threads"), ForbidGroup("process")]
public static partial class LibcPInvoke
{
    [DllImport("libc", SetLastError = true)]
    private static extern int flock(int fd, int operation);

    public static void Run()
    {
        _ = flock(0, 2);
        new Thread(() => { }).Start();
    }

    // Dead code: never called from Run.
    private static void Unused() => Process.Start("/bin/false");
}

[Expect("listen", "accept4", "inotify_init1"), ExpectGroup("kestrel")]
public static class MinimalApi
{
    public static void Run()
    {
        var app = Microsoft.AspNetCore.Builder.WebApplication.CreateBuilder().Build();
        app.MapGet("/", Handler);
        app.Run();
    }

    // A handler reached only through its delegate (ldftn): it reads a file.
    private static string Handler() => File.ReadAllText("/etc/hostname");
}

[Expect("sendmmsg"), ExpectGroup("dns"), ExpectGroup("timers")]
public static class HostedServiceCase
{
    public static void Run()
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Services.AddHostedService<Resolver>();
        builder.Build().Run();
    }

    // Created by the host through DI, never by a newobj in the app: found through the generic argument.
    private sealed class Resolver : Microsoft.Extensions.Hosting.BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Delay(1000, stoppingToken);
            _ = await Dns.GetHostAddressesAsync("example.org", stoppingToken);
        }
    }
}

[Expect("sendto"), ExpectGroup("udp")]
public static class VirtualDispatch
{
    public static void Run()
    {
        Sink sink = new UdpSink();
        sink.Write("x");
    }

    private abstract class Sink
    {
        public abstract void Write(string line);
    }

    private sealed class UdpSink : Sink
    {
        public override void Write(string line)
        {
            using var udp = new UdpClient();
            udp.Send([1], 1, "127.0.0.1", 9);
        }
    }

    // Never instantiated: its override must not count.
    private sealed class ProcessSink : Sink
    {
        public override void Write(string line) => Process.Start("/bin/echo", line);
    }
}

[ForbidGroup("process"), ExpectGroup("console")]
public static class InterfaceDispatch
{
    public static void Run()
    {
        IReporter reporter = new ConsoleReporter();
        reporter.Report();
    }

    private interface IReporter
    {
        void Report();
    }

    private sealed class ConsoleReporter : IReporter
    {
        public void Report() => Console.WriteLine("report");
    }

    private sealed class ProcessReporter : IReporter
    {
        public void Report() => Process.Start("/bin/true");
    }
}

[Expect("pwrite64", "fsync"), ExpectGroup("sqlite")]
public static class AsyncStateMachine
{
    public static void Run() => RunAsync().GetAwaiter().GetResult();

    // The interesting call sits in an async method's state machine (MoveNext), reached through AsyncTaskMethodBuilder.Start<T>.
    private static async Task RunAsync()
    {
        await Task.Yield();
        await using var db = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=:memory:");
        await db.OpenAsync();
    }
}

[Expect("listen", "accept4"), ExpectGroup("tcp-server")]
public static class ListenerCase
{
    public static void Run()
    {
        using var listener = new HttpListener();
        listener.Prefixes.Add("http://127.0.0.1:8080/");
        listener.Start();
    }
}

[Expect("sendto"), ExpectGroup("udp")]
public static class SocketArgsCase
{
    // Only a type of the namespace that no rule names: the namespace's rule applies.
    public static void Run() => _ = new System.Net.Sockets.SocketAsyncEventArgs();
}
