using System.Diagnostics;
using System.IO.Compression;
using System.IO.MemoryMappedFiles;
using System.IO.Pipes;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.ResponseCompression;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Services.AddHttpClient();
builder.Services.AddResponseCompression(o => o.Providers.Add<BrotliCompressionProvider>());
var app = builder.Build();
app.UseResponseCompression();

app.MapGet("/health", () => "ok");
app.MapGet("/json", () => new { name = "gauntlet", at = DateTimeOffset.UtcNow });
app.MapGet("/dns", async () => string.Join(",", (await Dns.GetHostAddressesAsync("localhost")).Select(a => a.ToString())));
app.MapGet("/hostname", () => Environment.MachineName + " " + Dns.GetHostName());
app.MapGet("/http-self", async (IHttpClientFactory factory, HttpContext http) =>
    await factory.CreateClient().GetStringAsync($"http://127.0.0.1:{http.Connection.LocalPort}/health"));
app.MapGet("/tcp", async () =>
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    using var client = new TcpClient();
    await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
    using var server = await listener.AcceptTcpClientAsync();
    await client.GetStream().WriteAsync("ping"u8.ToArray());
    var buffer = new byte[4];
    await server.GetStream().ReadExactlyAsync(buffer);
    return Encoding.ASCII.GetString(buffer);
});
app.MapGet("/udp", async () =>
{
    using var receiver = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
    using var sender = new UdpClient();
    await sender.SendAsync("datagram"u8.ToArray(), (IPEndPoint)receiver.Client.LocalEndPoint!);
    return Encoding.ASCII.GetString((await receiver.ReceiveAsync()).Buffer);
});
app.MapGet("/unix", async () =>
{
    var path = Path.Combine(Path.GetTempPath(), $"gauntlet-{Guid.NewGuid():N}.sock");
    using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    listener.Bind(new UnixDomainSocketEndPoint(path));
    listener.Listen();
    using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    await client.ConnectAsync(new UnixDomainSocketEndPoint(path));
    using var server = await listener.AcceptAsync();
    await client.SendAsync("unix"u8.ToArray());
    var buffer = new byte[4];
    await server.ReceiveAsync(buffer);
    File.Delete(path);
    return Encoding.ASCII.GetString(buffer);
});
app.MapGet("/watch", async () =>
{
    var dir = Directory.CreateTempSubdirectory("gauntlet-watch-");
    using var watcher = new FileSystemWatcher(dir.FullName) { EnableRaisingEvents = true };
    var created = new TaskCompletionSource<string>();
    watcher.Created += (_, e) => created.TrySetResult(e.Name!);
    await File.WriteAllTextAsync(Path.Combine(dir.FullName, "new.txt"), "x");
    var name = await created.Task.WaitAsync(TimeSpan.FromSeconds(5));
    dir.Delete(true);
    return name;
});
app.MapGet("/files", async () =>
{
    var dir = Directory.CreateTempSubdirectory("gauntlet-files-").FullName;
    var file = Path.Combine(dir, "a.txt");
    await using (var stream = new FileStream(file, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.WriteThrough))
    {
        await stream.WriteAsync(Encoding.UTF8.GetBytes("content"));
        stream.Flush(flushToDisk: true);
    }
    File.Copy(file, Path.Combine(dir, "b.txt"));
    File.Move(Path.Combine(dir, "b.txt"), Path.Combine(dir, "c.txt"));
    File.CreateSymbolicLink(Path.Combine(dir, "link"), file);
    if (!OperatingSystem.IsWindows())
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddDays(-1));
    var listing = string.Join(",", Directory.EnumerateFileSystemEntries(dir).Select(Path.GetFileName).Order());
    var target = new FileInfo(Path.Combine(dir, "link")).LinkTarget;
    Directory.Delete(dir, true);
    return $"{listing} -> {Path.GetFileName(target)}";
});
app.MapGet("/mmap", () =>
{
    var file = Path.GetTempFileName();
    using (var map = MemoryMappedFile.CreateFromFile(file, FileMode.Open, null, 4096))
    using (var view = map.CreateViewAccessor())
        view.Write(0, 42);
    var value = File.ReadAllBytes(file)[0];
    File.Delete(file);
    return value.ToString();
});
app.MapGet("/zip", async () =>
{
    var dir = Directory.CreateTempSubdirectory("gauntlet-zip-").FullName;
    await File.WriteAllTextAsync(Path.Combine(dir, "a.txt"), new string('z', 10_000));
    var archive = Path.Combine(Path.GetTempPath(), $"gauntlet-{Guid.NewGuid():N}.zip");
    ZipFile.CreateFromDirectory(dir, archive, CompressionLevel.SmallestSize, false);
    using var zip = ZipFile.OpenRead(archive);
    var entries = zip.Entries.Count;
    File.Delete(archive);
    Directory.Delete(dir, true);
    return entries.ToString();
});
app.MapGet("/brotli", () => new string('b', 50_000));
app.MapGet("/crypto", () =>
{
    using var rsa = RSA.Create(2048);
    var signature = rsa.SignData("data"u8, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
    using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    using var aes = Aes.Create();
    var encrypted = aes.EncryptCbc(RandomNumberGenerator.GetBytes(64), aes.IV);
    return $"{signature.Length} {ec.KeySize} {encrypted.Length} {Convert.ToHexString(SHA256.HashData("x"u8))[..8]}";
});
app.MapGet("/pipe", async () =>
{
    using var server = new AnonymousPipeServerStream(PipeDirection.Out);
    using var client = new AnonymousPipeClientStream(PipeDirection.In, server.ClientSafePipeHandle);
    await server.WriteAsync("pipe"u8.ToArray());
    var buffer = new byte[4];
    await client.ReadExactlyAsync(buffer);
    return Encoding.ASCII.GetString(buffer);
});
app.MapGet("/threads", async () =>
{
    var sum = 0L;
    Parallel.For(0, 1000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => Interlocked.Add(ref sum, i));
    var thread = new Thread(() => Interlocked.Increment(ref sum)) { Name = "gauntlet-worker", IsBackground = true };
    thread.Start();
    thread.Join();
    using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
    await timer.WaitForNextTickAsync();
    return sum.ToString();
});
app.MapGet("/memory", () =>
{
    var big = new byte[64 * 1024 * 1024];
    big[^1] = 1;
    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    return $"{GC.GetGCMemoryInfo().TotalAvailableMemoryBytes > 0} {Environment.ProcessorCount} {big[^1]}";
});
app.MapGet("/regex", () => Regex.IsMatch("gauntlet-2026", @"^[a-z]+-\d{4}$", RegexOptions.Compiled).ToString());
app.MapGet("/timezone", () => TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin").StandardName);
app.MapGet("/process", () =>
{
    using var self = Process.GetCurrentProcess();
    return $"{self.Id} {self.Threads.Count} {self.WorkingSet64 > 0} {self.StartTime:yyyy}";
});
app.MapGet("/ipv6", async () =>
{
    using var listener = new TcpListener(IPAddress.IPv6Loopback, 0);
    listener.Start();
    using var client = new TcpClient(AddressFamily.InterNetworkV6);
    await client.ConnectAsync(IPAddress.IPv6Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
    using var server = await listener.AcceptTcpClientAsync();
    return server.Client.RemoteEndPoint!.AddressFamily.ToString();
});
app.MapGet("/spawn", async () =>
{
    // A child process with its output read through pipes: fork/clone, execve, wait.
    using var child = Process.Start(new ProcessStartInfo("dotnet", "--list-runtimes") { RedirectStandardOutput = true })!;
    var output = await child.StandardOutput.ReadToEndAsync();
    await child.WaitForExitAsync();
    return $"{child.ExitCode} {output.Split('\n')[0]}";
});
app.MapGet("/nics", () => string.Join(",", System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
    .Select(n => $"{n.Name}:{n.OperationalStatus}:{n.GetIPProperties().UnicastAddresses.Count}")));
app.MapGet("/drives", () => string.Join(",", DriveInfo.GetDrives().Where(d => d.IsReady).Select(d => $"{d.Name}:{d.TotalSize > 0}")));
app.MapGet("/download", async (HttpContext http) =>
{
    var file = Path.Combine(Path.GetTempPath(), $"gauntlet-{Guid.NewGuid():N}.bin");
    await File.WriteAllBytesAsync(file, new byte[256 * 1024]);
    http.Response.ContentType = "application/octet-stream";
    await http.Response.SendFileAsync(file);
    File.Delete(file);
});
app.MapGet("/mutex", () =>
{
    using var mutex = new Mutex(false, "gauntlet-named-mutex", out var created);
    mutex.WaitOne();
    mutex.ReleaseMutex();
    return created.ToString();
});
app.MapGet("/kill-child", async () =>
{
    using var child = Process.Start(new ProcessStartInfo("dotnet", "--list-runtimes") { RedirectStandardOutput = true })!;
    child.Kill(entireProcessTree: true);
    await child.WaitForExitAsync();
    return child.HasExited.ToString();
});
app.MapGet("/tls", async () =>
{
    // TLS both ways through OpenSSL, over loopback TCP, with a certificate made on the spot.
    using var key = RSA.Create(2048);
    var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=gauntlet", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(1));
    using var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12(made.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pkcs12), null);
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    using var client = new TcpClient();
    await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
    using var accepted = await listener.AcceptTcpClientAsync();
    using var serverTls = new System.Net.Security.SslStream(accepted.GetStream());
    using var clientTls = new System.Net.Security.SslStream(client.GetStream(), false, (_, presented, _, _) => presented?.GetCertHashString() == certificate.GetCertHashString());
    await Task.WhenAll(
        serverTls.AuthenticateAsServerAsync(certificate),
        clientTls.AuthenticateAsClientAsync("gauntlet"));
    await clientTls.WriteAsync("secret"u8.ToArray());
    var buffer = new byte[6];
    await serverTls.ReadExactlyAsync(buffer);
    return $"{clientTls.SslProtocol} {Encoding.ASCII.GetString(buffer)}";
});
app.MapGet("/poll", () =>
{
    using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
    listener.Listen();
    using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    client.Connect(listener.LocalEndPoint!);
    using var server = listener.Accept();
    client.Send("p"u8);
    var readable = server.Poll(TimeSpan.FromSeconds(1), SelectMode.SelectRead);
    var list = new List<Socket> { server };
    Socket.Select(list, null, null, TimeSpan.FromSeconds(1));
    return $"{readable} {list.Count}";
});
app.MapGet("/lock", () =>
{
    var file = Path.GetTempFileName();
    using (var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
    {
        stream.Write(new byte[100]);
        if (OperatingSystem.IsLinux())
        {
            stream.Lock(0, 50);
            stream.Unlock(0, 50);
        }
    }
    var size = new FileInfo(file).Length;
    File.Replace(file, Path.GetTempFileName(), null);
    return size.ToString();
});
app.MapGet("/priority", () =>
{
    // setpriority: no test calls it, and no curated table named it.
    using var self = Process.GetCurrentProcess();
    self.PriorityClass = ProcessPriorityClass.BelowNormal;
    return self.PriorityClass.ToString();
});
app.MapGet("/sendfile", async () =>
{
    // sendfile(2) from a file to a socket, as Socket.SendFile does it.
    var file = Path.GetTempFileName();
    await File.WriteAllBytesAsync(file, new byte[64 * 1024]);
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    using var client = new TcpClient();
    await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
    using var server = await listener.AcceptTcpClientAsync();
    var received = Task.Run(async () =>
    {
        var total = 0;
        var buffer = new byte[16 * 1024];
        int n;
        while (total < 64 * 1024 && (n = await server.GetStream().ReadAsync(buffer)) > 0)
            total += n;
        return total;
    });
    client.Client.SendFile(file);
    var bytes = await received;
    File.Delete(file);
    return bytes.ToString();
});
app.MapGet("/hardlink", () =>
{
    // Links and their targets, and the mode of a file the app made.
    if (OperatingSystem.IsWindows())
        return "windows";
    var dir = Directory.CreateTempSubdirectory("gauntlet-links-").FullName;
    var file = Path.Combine(dir, "a");
    File.WriteAllText(file, "a");
    Directory.CreateSymbolicLink(Path.Combine(dir, "dirlink"), dir);
    var resolved = File.ResolveLinkTarget(Path.Combine(dir, "dirlink"), returnFinalTarget: true)?.Name;
    File.SetUnixFileMode(file, UnixFileMode.UserRead);
    var mode = File.GetUnixFileMode(file);
    Directory.Delete(dir, true);
    return $"{resolved} {mode}";
});
app.MapGet("/signal", () =>
{
    // A POSIX signal handler, and a signal sent to a child.
    if (OperatingSystem.IsWindows())
        return "windows";
    using var registration = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGCONT, c => c.Cancel = true);
    using var child = Process.Start(new ProcessStartInfo("dotnet", "--list-runtimes") { RedirectStandardOutput = true })!;
    child.Kill();
    child.WaitForExit();
    return child.HasExited.ToString();
});
app.MapGet("/netstat", () =>
{
    var properties = System.Net.NetworkInformation.IPGlobalProperties.GetIPGlobalProperties();
    return $"{properties.HostName} {properties.GetActiveTcpListeners().Length > 0} {properties.GetIPv4GlobalStatistics().DefaultTtl > 0}";
});
app.MapGet("/clock", () =>
{
    // Time: the monotonic and wall clocks, a timer's wait, the local zone.
    var start = Stopwatch.GetTimestamp();
    Thread.Sleep(5);
    return $"{Stopwatch.GetElapsedTime(start).TotalMilliseconds >= 0} {TimeZoneInfo.Local.Id.Length > 0} {DateTime.Now.Year}";
});
app.MapGet("/terminal", () => $"{Console.IsInputRedirected} {Console.IsOutputRedirected} {Console.BufferWidth >= 0}");
app.MapGet("/environment", () => $"{Environment.GetEnvironmentVariables().Count} {Environment.OSVersion.Platform} {Environment.UserName}");

app.Run();

public partial class Program;
