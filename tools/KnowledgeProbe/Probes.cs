using System.Diagnostics;
using System.IO.Compression;
using System.IO.MemoryMappedFiles;
using System.IO.Pipes;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace Portcullis.KnowledgeProbe;

/// <summary>
/// The probes, one method per group (<see cref="ProbeIndex"/> names them). Kept apart from the index so that
/// analysing one probe from its method does not reach the others through the index's delegates.
/// </summary>
internal static class Probes
{
    internal static async Task Files(ProbeContext c)
    {
        var dir = Directory.CreateDirectory(Path.Combine(c.Directory, "files")).FullName;
        var a = Path.Combine(dir, "a.txt");
        await File.WriteAllTextAsync(a, "hello");
        await File.AppendAllTextAsync(a, " world");
        _ = await File.ReadAllTextAsync(a);
        _ = File.ReadAllLines(a);
        using (var fs = new FileStream(Path.Combine(dir, "b.bin"), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 4096, FileOptions.Asynchronous | FileOptions.WriteThrough))
        {
            await fs.WriteAsync(new byte[10000]);
            fs.Flush(flushToDisk: true);
            fs.Seek(0, SeekOrigin.Begin);
            _ = await fs.ReadAsync(new byte[100]);
            fs.SetLength(5000);
            fs.Lock(0, 10);
            fs.Unlock(0, 10);
        }
        using (var handle = File.OpenHandle(Path.Combine(dir, "c.bin"), FileMode.Create, FileAccess.ReadWrite))
        {
            RandomAccess.Write(handle, new byte[64], 128);
            _ = RandomAccess.Read(handle, new byte[64], 0);
            _ = RandomAccess.GetLength(handle);
        }
        File.Copy(a, Path.Combine(dir, "copy.txt"), overwrite: true);
        File.Move(Path.Combine(dir, "copy.txt"), Path.Combine(dir, "moved.txt"), overwrite: true);
        File.Replace(Path.Combine(dir, "moved.txt"), a, null);
        File.SetLastWriteTimeUtc(a, DateTime.UtcNow);
        _ = File.GetLastWriteTimeUtc(a);
        File.SetUnixFileMode(a, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        _ = new FileInfo(a).Length;
        File.CreateSymbolicLink(Path.Combine(dir, "link"), a);
        _ = new FileInfo(Path.Combine(dir, "link")).ResolveLinkTarget(returnFinalTarget: true);
        Directory.CreateDirectory(Path.Combine(dir, "sub", "deeper"));
        _ = Directory.EnumerateFileSystemEntries(dir, "*", SearchOption.AllDirectories).ToList();
        _ = Path.GetTempFileName();
        _ = new DriveInfo(dir).AvailableFreeSpace;
        Directory.Delete(dir, recursive: true);
    }

    internal static async Task FileWatcher(ProbeContext c)
    {
        var dir = Directory.CreateDirectory(Path.Combine(c.Directory, "watched")).FullName;
        using var watcher = new FileSystemWatcher(dir) { IncludeSubdirectories = true, EnableRaisingEvents = true };
        var changed = new TaskCompletionSource();
        watcher.Created += (_, _) => changed.TrySetResult();
        await File.WriteAllTextAsync(Path.Combine(dir, "x"), "x");
        await Task.WhenAny(changed.Task, Task.Delay(5000));
    }

    internal static async Task TcpClientProbe(ProbeContext c)
    {
        using var client = new TcpClient();
        client.NoDelay = true;
        await client.ConnectAsync(IPAddress.Loopback, c.Port);
        var stream = client.GetStream();
        await stream.WriteAsync("GET / HTTP/1.0\r\n\r\n"u8.ToArray());
        _ = await stream.ReadAsync(new byte[1024]);
        using var socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp) { DualMode = true };
        await socket.ConnectAsync(IPAddress.Loopback, c.Port);
        await socket.SendAsync("GET / HTTP/1.0\r\n\r\n"u8.ToArray());
        _ = await socket.ReceiveAsync(new byte[1024]);
        socket.Shutdown(SocketShutdown.Both);
    }

    internal static async Task HttpClientProbe(ProbeContext c)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        _ = await http.GetStringAsync($"http://localhost:{c.Port}/");
        using var content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        _ = await http.PostAsync($"http://127.0.0.1:{c.Port}/", content);
    }

    internal static async Task TcpServer(ProbeContext c)
    {
        var listener = new TcpListener(IPAddress.IPv6Any, 0);
        listener.Server.DualMode = true;
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var accept = listener.AcceptSocketAsync();
        await client.ConnectAsync(IPAddress.Loopback, port);
        using var peer = await accept;
        await client.SendAsync("ping"u8.ToArray());
        _ = await peer.ReceiveAsync(new byte[16]);
        await peer.SendAsync("pong"u8.ToArray());
        listener.Stop();
    }

    internal static async Task Udp(ProbeContext c)
    {
        using var receiver = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)receiver.Client.LocalEndPoint!).Port;
        using var sender = new UdpClient();
        sender.Connect(IPAddress.Loopback, port);
        await sender.SendAsync("metric:1|c"u8.ToArray());
        using var raw = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        await raw.SendToAsync("metric:2|c"u8.ToArray(), new IPEndPoint(IPAddress.Loopback, port));
        _ = await receiver.ReceiveAsync();
        _ = await receiver.ReceiveAsync();
    }

    internal static async Task UnixSocket(ProbeContext c)
    {
        var path = Path.Combine(c.Directory, "probe.sock");
        File.Delete(path);
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(1);
        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        var accept = listener.AcceptAsync();
        await client.ConnectAsync(new UnixDomainSocketEndPoint(path));
        using var peer = await accept;
        await client.SendAsync("x"u8.ToArray());
        _ = await peer.ReceiveAsync(new byte[4]);
        File.Delete(path);
    }

    internal static async Task DnsProbe(ProbeContext c)
    {
        _ = await Dns.GetHostAddressesAsync("localhost");
        _ = Dns.GetHostName();
        try
        {
            // A name no hosts file holds: glibc asks the nameservers of resolv.conf (over UDP, then TCP).
            _ = await Dns.GetHostEntryAsync("portcullis-probe.invalid");
        }
        catch (SocketException)
        {
        }
    }

    internal static async Task ProcessProbe(ProbeContext c)
    {
        var start = new ProcessStartInfo("/bin/sh", ["-c", "echo child"]) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        using var child = Process.Start(start)!;
        _ = await child.StandardOutput.ReadToEndAsync();
        await child.WaitForExitAsync();
        using var sleeper = Process.Start(new ProcessStartInfo("/bin/sleep", ["5"]))!;
        sleeper.Kill(entireProcessTree: true);
        await sleeper.WaitForExitAsync();
        _ = Process.GetCurrentProcess().WorkingSet64;
        _ = Process.GetProcesses().Length;
    }

    internal static async Task Threads(ProbeContext c)
    {
        var t = new Thread(() => Thread.Sleep(10)) { IsBackground = true };
        t.Start();
        t.Join();
        await Parallel.ForAsync(0, 64, async (i, token) => await Task.Yield());
        using var semaphore = new SemaphoreSlim(0);
        _ = Task.Run(() => semaphore.Release());
        await semaphore.WaitAsync();
        var gate = new object();
        lock (gate)
            Monitor.Wait(gate, 5);
        ThreadPool.GetAvailableThreads(out _, out _);
    }

    internal static async Task Timers(ProbeContext c)
    {
        using var periodic = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        await periodic.WaitForNextTickAsync();
        var fired = new TaskCompletionSource();
        await using var timer = new Timer(_ => fired.TrySetResult(), null, 5, Timeout.Infinite);
        await fired.Task;
        await Task.Delay(15);
        _ = Stopwatch.GetTimestamp();
        _ = DateTime.Now;
    }

    internal static Task ConsoleProbe(ProbeContext c)
    {
        Console.WriteLine("console");
        Console.Error.WriteLine("error");
        Console.Out.Flush();
        _ = Console.IsOutputRedirected;
        _ = Console.In.Peek();
        return Task.CompletedTask;
    }

    internal static Task EnvironmentProbe(ProbeContext c)
    {
        _ = Environment.MachineName;
        _ = Environment.UserName;
        _ = Environment.OSVersion;
        _ = Environment.GetEnvironmentVariables();
        _ = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        _ = Environment.CurrentDirectory;
        _ = Environment.WorkingSet;
        _ = TimeZoneInfo.Local;
        _ = System.Globalization.CultureInfo.CurrentCulture.CompareInfo.Compare("a", "b");
        return Task.CompletedTask;
    }

    internal static async Task Signals(ProbeContext c)
    {
        using var registration = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => ctx.Cancel = true);
        Console.CancelKeyPress += (_, e) => e.Cancel = true;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { };
        await Task.Delay(10);
    }

    internal static async Task Compression(ProbeContext c)
    {
        var data = new byte[100000];
        Random.Shared.NextBytes(data);
        using var packed = new MemoryStream();
        await using (var gzip = new GZipStream(packed, CompressionLevel.Optimal, leaveOpen: true))
            await gzip.WriteAsync(data);
        packed.Position = 0;
        await using var unpack = new GZipStream(packed, CompressionMode.Decompress);
        await unpack.CopyToAsync(Stream.Null);
        using var zipStream = new MemoryStream();
        using (var zip = new ZipArchive(zipStream, ZipArchiveMode.Create, leaveOpen: true))
            await using (var entry = zip.CreateEntry("a.txt").Open())
                await entry.WriteAsync(data.AsMemory(0, 1000));
        using var brotli = new BrotliStream(Stream.Null, CompressionLevel.Fastest);
        await brotli.WriteAsync(data);
    }

    internal static Task Crypto(ProbeContext c)
    {
        _ = RandomNumberGenerator.GetBytes(32);
        _ = SHA256.HashData("x"u8);
        using var aes = Aes.Create();
        _ = aes.EncryptCbc(new byte[32], new byte[16]);
        using var rsa = RSA.Create(2048);
        _ = rsa.SignData("x"u8.ToArray(), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var ecdsa = ECDsa.Create();
        _ = ecdsa.SignData("x"u8.ToArray(), HashAlgorithmName.SHA256);
        using var store = new System.Security.Cryptography.X509Certificates.X509Store(System.Security.Cryptography.X509Certificates.StoreName.Root, System.Security.Cryptography.X509Certificates.StoreLocation.LocalMachine);
        store.Open(System.Security.Cryptography.X509Certificates.OpenFlags.ReadOnly);
        _ = store.Certificates.Count;
        return Task.CompletedTask;
    }

    internal static Task MemoryMapped(ProbeContext c)
    {
        var path = Path.Combine(c.Directory, "mapped.bin");
        using (var file = MemoryMappedFile.CreateFromFile(path, FileMode.Create, null, 1 << 16))
        using (var view = file.CreateViewAccessor())
            view.Write(0, 42L);
        using (var anonymous = MemoryMappedFile.CreateNew(null, 1 << 16))
        using (var view = anonymous.CreateViewStream())
            view.WriteByte(1);
        File.Delete(path);
        return Task.CompletedTask;
    }

    internal static async Task Pipes(ProbeContext c)
    {
        var name = "portcullis-probe-" + Environment.ProcessId;
        await using var server = new NamedPipeServerStream(name, PipeDirection.InOut, 1, PipeTransmissionMode.Byte, PipeOptions.Asynchronous);
        await using var client = new NamedPipeClientStream(".", name, PipeDirection.InOut, PipeOptions.Asynchronous);
        var wait = server.WaitForConnectionAsync();
        await client.ConnectAsync(5000);
        await wait;
        await client.WriteAsync(new byte[] { 1 });
        _ = await server.ReadAsync(new byte[1]);
        using var anonymous = new AnonymousPipeServerStream(PipeDirection.Out);
        anonymous.WriteByte(1);
    }

    internal static async Task Sqlite(ProbeContext c)
    {
        var path = Path.Combine(c.Directory, "probe.db");
        await using (var db = new SqliteConnection($"Data Source={path}"))
        {
            await db.OpenAsync();
            foreach (var sql in new[] { "PRAGMA journal_mode=WAL", "CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, v TEXT)", "INSERT INTO t(v) VALUES ('a')", "SELECT count(*) FROM t" })
            {
                await using var command = db.CreateCommand();
                command.CommandText = sql;
                _ = await command.ExecuteScalarAsync();
            }
            await using var tx = await db.BeginTransactionAsync();
            await using var insert = db.CreateCommand();
            insert.CommandText = "INSERT INTO t(v) VALUES ('b')";
            await insert.ExecuteNonQueryAsync();
            await tx.CommitAsync();
        }
        SqliteConnection.ClearAllPools();
        await using (var memory = new SqliteConnection("Data Source=:memory:"))
            await memory.OpenAsync();
        foreach (var f in Directory.GetFiles(c.Directory, "probe.db*"))
            File.Delete(f);
    }

    // A minimal API as CreateBuilder makes it (configuration with reload-on-change, JSON logging, health), serving
    // the requests the harness sends to the port it writes to <dir>/port, until /stop.
    internal static async Task Kestrel(ProbeContext c)
    {
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateBuilder(new Microsoft.AspNetCore.Builder.WebApplicationOptions { ContentRootPath = c.Directory });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddHealthChecks();
        var app = builder.Build();
        var stop = new TaskCompletionSource();
        app.MapGet("/", () => "ok");
        app.MapPost("/echo", async (HttpRequest request) => await new StreamReader(request.Body).ReadToEndAsync());
        app.MapGet("/stop", () => { stop.TrySetResult(); return "bye"; });
        app.MapHealthChecks("/health");
        await app.StartAsync();
        var address = app.Urls.First();
        await File.WriteAllTextAsync(Path.Combine(c.Directory, "port"), new Uri(address).Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Task.WhenAny(stop.Task, Task.Delay(30000));
        await app.StopAsync();
    }
}
