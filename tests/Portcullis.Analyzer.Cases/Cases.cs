using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Portcullis.Analyzer.Cases;

// Each case: a static Run method (the analysis root) and what it expects.

[Expect("socket", "connect")]
public static class TcpConnect
{
    public static void Run()
    {
        using var client = new TcpClient();
        client.Connect(IPAddress.Loopback, 80);
    }
}

[Expect("sendto"), Forbid("listen", "accept4")]
public static class UdpMetrics
{
    public static void Run()
    {
        using var udp = new UdpClient();
        udp.Send("m:1|c"u8.ToArray(), 5, "127.0.0.1", 8125);
    }
}

// Neither flushes to disk (strace: rename, and on EXDEV copy_file_range, never fsync): FileStream's fsync is behind
// Flush(flushToDisk: true), which nothing here passes.
[Expect("rename", "copy_file_range"), Forbid("fsync")]
public static class FilesAndRename
{
    public static void Run()
    {
        File.WriteAllText("/tmp/a", "x");
        File.Move("/tmp/a", "/tmp/b");
    }
}

[Expect("inotify_init1", "inotify_add_watch")]
public static class Watcher
{
    public static void Run()
    {
        using var w = new FileSystemWatcher("/tmp") { EnableRaisingEvents = true };
    }
}

[Expect("vfork", "wait4"), Forbid("setuid", "setgid", "setgroups", "chdir")]
public static class ChildProcess
{
    public static void Run() => Process.Start("/bin/true")!.WaitForExit();
}

// Only a ProcessStartInfo with a UserName makes the child switch identity, one with a WorkingDirectory change directory.
[Expect("vfork", "setuid", "setgid", "setgroups", "chdir")]
public static class ChildProcessAsUser
{
    public static void Run() => Process.Start(new ProcessStartInfo("/bin/true") { UserName = "nobody", WorkingDirectory = "/tmp" })!.WaitForExit();
}

// A P/Invoke into libc's socket may ask for any address family.
[Expect("socket")]
public static class OwnSocket
{
    [DllImport("libc", SetLastError = true)]
    private static extern int socket(int domain, int type, int protocol);

    public static void Run() => _ = socket(17, 3, 0);
}

// A branch on a platform check that is fixed on Linux runs one way only: the macOS side never starts a process here.
[Expect("sendto", "connect"), Forbid("vfork", "execve")]
public static class PlatformBranches
{
    public static void Run()
    {
        if (OperatingSystem.IsMacOS())
            Process.Start("/usr/bin/security");
        if (!OperatingSystem.IsLinux())
            Process.Start("/bin/true");
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows) || OperatingSystem.IsFreeBSD())
            Process.Start("/bin/true");
        else
            new UdpClient().Send([1], 1, "127.0.0.1", 9);
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp).Connect(IPAddress.Loopback, 9);
    }
}

[Expect("sendmmsg")]
public static class Resolve
{
    public static void Run() => _ = Dns.GetHostAddresses("example.org");
}

[Expect("flock"), Forbid("vfork", "execve")]
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

[Expect("listen", "accept4", "inotify_init1")]
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

[Expect("sendmmsg")]
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

[Expect("sendto"), Forbid("vfork", "execve")]
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

[Expect("write"), Forbid("vfork", "execve")]
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

// A call through one interface does not reach another interface's method of the same name, even on a type created.
[Expect("write"), Forbid("vfork", "execve")]
public static class SameNameOtherInterface
{
    public static void Run()
    {
        IPublisher publisher = new ConsolePublisher();
        publisher.Publish();
        GC.KeepAlive(new ProcessLauncher());
    }

    private interface IPublisher
    {
        void Publish();
    }

    private interface ILauncher
    {
        void Publish();
    }

    private sealed class ConsolePublisher : IPublisher
    {
        public void Publish() => Console.WriteLine("published");
    }

    private sealed class ProcessLauncher : ILauncher
    {
        public void Publish() => Process.Start("/bin/true");
    }
}

// A base class's method implements the interface only its derived class declares; a generic interface's slot is the
// same for every instantiation.
[Expect("sendto", "connect")]
public static class BaseImplementsDerivedInterface
{
    public static void Run()
    {
        ISender sender = new DerivedSender();
        sender.Send();
        IHandler<int> handler = new ConnectingHandler();
        handler.Handle(9);
    }

    private interface ISender
    {
        void Send();
    }

    private interface IHandler<in T>
    {
        void Handle(T value);
    }

    private class BaseSender
    {
        public void Send()
        {
            using var udp = new UdpClient();
            udp.Send([1], 1, "127.0.0.1", 9);
        }
    }

    private sealed class DerivedSender : BaseSender, ISender;

    private sealed class ConnectingHandler : IHandler<int>
    {
        public void Handle(int value)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Connect(IPAddress.Loopback, value);
        }
    }
}

[Expect("pwrite64", "fsync")]
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

[Expect("listen", "accept4")]
public static class ListenerCase
{
    public static void Run()
    {
        using var listener = new HttpListener();
        listener.Prefixes.Add("http://127.0.0.1:8080/");
        listener.Start();
    }
}

// The APIs no curated table named, whose untested use killed apps under their profile.
[Expect("setpriority"), Forbid("vfork", "execve")]
public static class PriorityCase
{
    public static void Run() => Process.GetCurrentProcess().PriorityClass = ProcessPriorityClass.BelowNormal;
}

[Expect("sendfile", "connect")]
public static class SendFileCase
{
    public static void Run()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Connect(IPAddress.Loopback, 9);
        socket.SendFile("/etc/hostname");
    }
}

[Expect("symlink", "setxattr")]
public static class LinksAndAttributes
{
    [DllImport("libc", SetLastError = true)]
    private static extern int setxattr(string path, string name, byte[] value, nint size, int flags);

    public static void Run()
    {
        File.CreateSymbolicLink("/tmp/link", "/etc/hostname");
        _ = setxattr("/tmp/link", "user.x", [1], 1, 0);
    }
}

// A bool the caller fixes decides a branch in the callee (FileStream.Flush(flushToDisk) makes fsync only when it is
// true): code behind `if (really)` runs only for callers that may pass true. Passed false directly, through a method
// that hands its own flag on, and through a virtual call: no symlink.
[Forbid("symlink")]
public static class FlagFalse
{
    public static void Run()
    {
        FlagLinks.Make("/tmp/portcullis-flag-a", false);
        FlagLinks.Outer("/tmp/portcullis-flag-b", false);
        new FlagLinker().Make("/tmp/portcullis-flag-c", false);
    }
}

// The same calls, one of them with a flag analysis cannot read: the flagged code runs.
[Expect("symlink")]
public static class FlagUnknown
{
    public static void Run()
    {
        FlagLinks.Make("/tmp/portcullis-flag-a", false);
        FlagLinks.Outer("/tmp/portcullis-flag-b", Environment.ProcessorCount > 1);
    }
}

// False first, true later through the method that passes its flag on: what was left out is walked when it turns on.
[Expect("symlink")]
public static class FlagLater
{
    public static void Run()
    {
        FlagLinks.Outer("/tmp/portcullis-flag-b", false);
        Later();
    }

    private static void Later() => FlagLinks.Outer("/tmp/portcullis-flag-b", true);
}

// A vararg call pushes its extra arguments last: the constant before the call is not the flag.
[Expect("symlink")]
public static class FlagVararg
{
    public static void Run() => Make(true, __arglist(0));

    private static void Make(bool really, __arglist)
    {
        if (really)
            File.CreateSymbolicLink("/tmp/portcullis-flag-d", "/");
    }
}

// True through a virtual call: the override's flagged code runs.
[Expect("symlink")]
public static class FlagVirtual
{
    public static void Run()
    {
        FlagLinker linker = new FlagLinkerDerived();
        linker.Make("/tmp/portcullis-flag-c", true);
    }
}

public static class FlagLinks
{
    public static void Make(string path, bool really)
    {
        if (really)
            File.CreateSymbolicLink(path, "/");
    }

    public static void Outer(string path, bool really) => Make(path, really);
}

public class FlagLinker
{
    public virtual void Make(string path, bool really)
    {
        if (really)
            File.CreateSymbolicLink(path, "/");
    }
}

public sealed class FlagLinkerDerived : FlagLinker
{
    public override void Make(string path, bool really)
    {
        if (really)
            Directory.CreateSymbolicLink(path, "/");
    }
}

// A static abstract interface member is called through `constrained. T call`: the implementation of each type given
// as T runs, whether T is a generic method's argument (symlink) or a generic type's (rename); an implementor never
// given as T does not (vfork).
[Expect("symlink", "rename"), Forbid("vfork", "execve")]
public static class StaticAbstractDispatch
{
    public static void Run()
    {
        StaticMakers.Make<SymlinkMaker>("/tmp/portcullis-static-a");
        new StaticMakerRunner<RenameMaker>().Go("/tmp/portcullis-static-b");
    }
}

// A static virtual member's default body runs for a T that does not override it; an override in a base class of T
// runs for T.
[Expect("symlink", "rename"), Forbid("vfork", "execve")]
public static class StaticVirtualDefaults
{
    public static void Run()
    {
        StaticMakers.Touch<PlainMaker>("/tmp/portcullis-static-c");
        StaticMakers.Make<DerivedRenameMaker>("/tmp/portcullis-static-d");
    }
}

public interface IStaticMaker
{
    static abstract void Make(string path);

    static virtual void Touch(string path) => File.CreateSymbolicLink(path, "/");
}

public static class StaticMakers
{
    public static void Make<T>(string path) where T : IStaticMaker => T.Make(path);

    public static void Touch<T>(string path) where T : IStaticMaker => T.Touch(path);
}

public sealed class StaticMakerRunner<T> where T : IStaticMaker
{
    public void Go(string path) => T.Make(path);
}

public readonly struct SymlinkMaker : IStaticMaker
{
    public static void Make(string path) => File.CreateSymbolicLink(path, "/");
}

public class RenameMaker : IStaticMaker
{
    public static void Make(string path) => File.Move(path, path + ".moved");
}

public sealed class DerivedRenameMaker : RenameMaker;

public readonly struct PlainMaker : IStaticMaker
{
    public static void Make(string path) => Directory.CreateDirectory(path);
}

// Never given as T: its implementation must not count.
public sealed class ProcessMaker : IStaticMaker
{
    public static void Make(string path) => Process.Start("/bin/true", path);
}
