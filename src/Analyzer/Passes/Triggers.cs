namespace Portcullis.Analyzer.Passes;

/// <summary>
/// Framework APIs and the groups of tools/KnowledgeProbe that exercise them. This is the per-framework-API
/// summary, curated and measured rather than computed: each group's syscalls are what its probe made on the
/// real runtime, and each API here is one its probe calls or one that, in the framework's source, reaches
/// the same native entry points (libSystem.Native's sockets, files, inotify, fork/exec, ...). An API that
/// hosts a web server pulls in everything the Kestrel probe needed.
/// </summary>
internal static class Triggers
{
    private const string Files = "files", Watcher = "file-watcher", TcpClient = "tcp-client", Http = "http-client", TcpServer = "tcp-server",
        Udp = "udp", Unix = "unix-socket", Dns = "dns", Process = "process", Threads = "threads", Timers = "timers", Console = "console",
        Environment = "environment", Signals = "signals", Compression = "compression", Crypto = "crypto", Mmf = "memory-mapped-files",
        Pipes = "pipes", Sqlite = "sqlite", Kestrel = "kestrel";

    private static readonly string[] Hosting = [Signals, Watcher, Files, Environment, Threads, Timers, Console];
    private static readonly string[] WebHost = [Kestrel, TcpServer, Signals, Watcher, Files, Environment, Threads, Timers, Console, Crypto];
    private static readonly string[] Outbound = [Http, TcpClient, Dns, Crypto];

    public static IReadOnlyList<Trigger> All { get; } =
    [
        // files and directories
        new("System.IO.File", [Files]), new("System.IO.FileInfo", [Files]), new("System.IO.FileSystemInfo", [Files]),
        new("System.IO.Directory", [Files]), new("System.IO.DirectoryInfo", [Files]), new("System.IO.FileStream", [Files]),
        new("System.IO.RandomAccess", [Files]), new("System.IO.DriveInfo", [Files]), new("System.IO.Path::GetTempFileName", [Files]),
        new("System.IO.StreamReader::.ctor", [Files]), new("System.IO.StreamWriter::.ctor", [Files]), new("System.IO.Enumeration.", [Files]),
        new("Microsoft.Extensions.FileProviders.", [Files, Watcher]), new("Microsoft.Extensions.Configuration.FileConfigurationExtensions", [Files, Watcher]),
        new("Microsoft.Extensions.Configuration.JsonConfigurationExtensions", [Files, Watcher]), new("Microsoft.Extensions.Configuration.IniConfigurationExtensions", [Files, Watcher]),
        new("Microsoft.Extensions.Configuration.XmlConfigurationExtensions", [Files, Watcher]), new("Microsoft.AspNetCore.Builder.StaticFileExtensions", [Files, Watcher]),
        new("System.IO.FileSystemWatcher", [Watcher, Files]),
        new("System.IO.IsolatedStorage.", [Files]), new("System.IO.", [Files]), new("System.Xml.Linq.XDocument::Load", [Files]), new("System.Xml.Linq.XDocument::Save", [Files]),
        new("System.Formats.Tar.", [Files]),

        // networking
        new("System.Net.Http.", Outbound), new("Microsoft.Extensions.DependencyInjection.HttpClientFactoryServiceCollectionExtensions", Outbound),
        new("Microsoft.Extensions.Http.", Outbound), new("System.Net.WebClient", Outbound), new("System.Net.HttpWebRequest", Outbound),
        new("System.Net.WebRequest", Outbound), new("System.Net.Mail.", [TcpClient, Dns, Crypto]), new("System.Net.WebSockets.ClientWebSocket", Outbound),
        new("System.Net.Sockets.TcpClient", [TcpClient, Dns]), new("System.Net.Sockets.TcpListener", [TcpServer]),
        new("System.Net.Sockets.UdpClient", [Udp, Dns]), new("System.Net.Sockets.UnixDomainSocketEndPoint", [Unix]),
        new("System.Net.Sockets.Socket", [TcpClient, TcpServer, Udp, Unix]), new("System.Net.Sockets.NetworkStream", [TcpClient]),
        new("System.Net.Sockets.Socket::ConnectAsync", [TcpClient, Unix]), new("System.Net.Sockets.Socket::Connect", [TcpClient, Unix]),
        new("System.Net.Sockets.Socket::SendTo", [Udp]), new("System.Net.Sockets.Socket::SendToAsync", [Udp]),
        new("System.Net.Sockets.Socket::ReceiveFrom", [Udp]), new("System.Net.Sockets.Socket::ReceiveFromAsync", [Udp]),
        new("System.Net.Sockets.Socket::Listen", [TcpServer, Unix]), new("System.Net.Sockets.Socket::Accept", [TcpServer, Unix]),
        new("System.Net.Sockets.Socket::AcceptAsync", [TcpServer, Unix]), new("System.Net.Sockets.Socket::Bind", [TcpServer, Udp, Unix]),
        new("System.Net.Dns", [Dns]), new("System.Net.NetworkInformation.", [Udp, Environment, Files]),
        new("System.Net.HttpListener", [TcpServer, Threads]), new("System.Net.Sockets.", [TcpClient, TcpServer, Udp, Unix]),
        new("System.Net.Security.SslStream", [Crypto, TcpClient]), new("System.Net.Quic.", [Udp, Crypto]),

        // processes, threads, time, console, environment, signals
        // Reading a Process (Id, name, memory) reads /proc; starting, killing or waiting for one forks and waits.
        new("System.Diagnostics.Process", [Files]), new("System.Diagnostics.Process::Start", [Process]), new("System.Diagnostics.Process::Kill", [Process]),
        new("System.Diagnostics.Process::WaitForExit*", [Process]), new("System.Diagnostics.Process::GetProcess*", [Process, Files]),
        new("System.Diagnostics.ProcessStartInfo", [Process]),
        new("System.Threading.Thread", [Threads]), new("System.Threading.Tasks.Parallel", [Threads]), new("System.Threading.ThreadPool", [Threads]),
        new("System.Threading.Timer", [Timers]), new("System.Threading.PeriodicTimer", [Timers]), new("System.Threading.Tasks.Task::Delay", [Timers]),
        new("System.Timers.Timer", [Timers, Threads]),
        new("System.Console", [Console]), new("Microsoft.Extensions.Logging.ConsoleLoggerExtensions", [Console]), new("Microsoft.Extensions.Logging.Console.", [Console]),
        new("System.Environment::get_MachineName", [Environment]), new("System.Environment::get_UserName", [Environment]),
        new("System.Environment::get_OSVersion", [Environment]), new("System.Environment::GetFolderPath", [Environment, Files]),
        new("System.Environment::get_CurrentDirectory", [Environment]), new("System.TimeZoneInfo", [Environment, Files]),
        new("System.Runtime.InteropServices.PosixSignalRegistration", [Signals]), new("System.Console::add_CancelKeyPress", [Signals, Console]),
        new("System.AppDomain::add_ProcessExit", [Signals]),

        // compression, crypto, memory-mapped files, pipes
        new("System.IO.Compression.", [Compression]), new("System.IO.Compression.ZipFile", [Compression, Files]),
        new("System.Security.Cryptography.", [Crypto]), new("System.IO.MemoryMappedFiles.", [Mmf, Files]), new("System.IO.Pipes.", [Pipes, Unix]),

        // data
        new("Microsoft.Data.Sqlite.", [Sqlite, Files]), new("SQLitePCL.", [Sqlite, Files]), new("Microsoft.EntityFrameworkCore.", [Sqlite, Files, Threads]),

        // hosts
        new("Microsoft.Extensions.Hosting.Host", Hosting), new("Microsoft.Extensions.Hosting.HostApplicationBuilder", Hosting),
        new("Microsoft.Extensions.Hosting.HostingAbstractionsHostExtensions", Hosting), new("Microsoft.Extensions.Hosting.BackgroundService", [Threads, Timers]),
        new("Microsoft.Extensions.DependencyInjection.ServiceCollectionHostedServiceExtensions", [Threads, Timers]),
        new("Microsoft.AspNetCore.Builder.WebApplication", WebHost), new("Microsoft.AspNetCore.Builder.WebApplicationBuilder", WebHost),
        new("Microsoft.AspNetCore.Hosting.", WebHost), new("Microsoft.AspNetCore.WebHost", WebHost),
        new("Microsoft.Extensions.Hosting.GenericHostBuilderExtensions", WebHost), new("Microsoft.Extensions.Hosting.GenericHostWebHostBuilderExtensions", WebHost),
        new("Microsoft.AspNetCore.Server.Kestrel.", WebHost),
    ];

    /// <summary>The groups a call to <paramref name="type"/>::<paramref name="member"/> needs: those of the most specific matching rules.</summary>
    public static IReadOnlyList<string> For(string type, string member)
    {
        var matches = All.Where(t => t.Matches(type, member)).ToList();
        if (matches.Count == 0)
            return [];
        var best = matches.Max(t => t.Specificity);
        return matches.Where(t => t.Specificity == best).SelectMany(t => t.Groups).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>Whether an API starts a web server: in-memory test hosts never listen, so recording cannot show it.</summary>
    public static bool HostsWebServer(string type) =>
        type.StartsWith("Microsoft.AspNetCore.Builder.WebApplication", StringComparison.Ordinal) || type.StartsWith("Microsoft.AspNetCore.Hosting.", StringComparison.Ordinal)
        || type.StartsWith("Microsoft.AspNetCore.Server.Kestrel.", StringComparison.Ordinal) || type == "Microsoft.AspNetCore.WebHost"
        || type == "Microsoft.Extensions.Hosting.GenericHostWebHostBuilderExtensions";
}
