using System.Diagnostics;
using System.IO.Compression;
using System.Net.Sockets;
using System.Text.Json;

namespace Worker.Tests;

/// <summary>The worker end to end: a real process, real gzip children, results over a real Unix socket.</summary>
public sealed class WorkerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("worker-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private sealed record Result(string Name, int Words, string Sha256, long CompressedBytes);

    [Fact]
    public async Task Every_input_is_processed_compressed_and_reported_over_the_socket()
    {
        var cancel = TestContext.Current.CancellationToken;
        var inputs = Directory.CreateDirectory(Path.Combine(_dir, "in")).FullName;
        var outputs = Path.Combine(_dir, "out");
        for (var i = 0; i < 12; i++)
            await File.WriteAllTextAsync(Path.Combine(inputs, $"doc{i:00}.txt"), string.Join(' ', Enumerable.Repeat("word", i + 1)), cancel);

        var socketPath = Path.Combine(_dir, "results.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        listener.Listen(1);
        var received = Task.Run(async () =>
        {
            using var peer = await listener.AcceptAsync(cancel);
            using var reader = new StreamReader(new NetworkStream(peer, ownsSocket: false));
            var lines = new List<string>();
            while (await reader.ReadLineAsync(cancel) is { } line)
                lines.Add(line);
            return lines;
        }, cancel);

        var (code, output) = await RunAsync(inputs, outputs, socketPath, cancel);
        Assert.True(code == 0, output);
        Assert.Contains("processed 12 files", output, StringComparison.Ordinal);

        var results = (await received).Select(l => JsonSerializer.Deserialize<Result>(l)!).ToList();
        Assert.Equal(12, results.Count);
        Assert.Equal(Enumerable.Range(1, 12), results.OrderBy(r => r.Name, StringComparer.Ordinal).Select(r => r.Words));
        foreach (var r in results)
        {
            await using var gz = new GZipStream(File.OpenRead(Path.Combine(outputs, r.Name + ".gz")), CompressionMode.Decompress);
            using var text = new StreamReader(gz);
            Assert.Equal(await File.ReadAllTextAsync(Path.Combine(inputs, r.Name), cancel), await text.ReadToEndAsync(cancel));
        }
    }

    [Fact]
    public async Task Wrong_usage_exits_2()
    {
        var (code, _) = await RunAsync(null, null, null, TestContext.Current.CancellationToken);
        Assert.Equal(2, code);
    }

    private static async Task<(int Code, string Output)> RunAsync(string? inputs, string? outputs, string? socket, CancellationToken cancel)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(WorkerPath());
        foreach (var a in new[] { inputs, outputs, socket }.OfType<string>())
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancel);
        var stderr = process.StandardError.ReadToEndAsync(cancel);
        await process.WaitForExitAsync(cancel);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string WorkerPath()
    {
        var configuration = Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)))!;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "Worker", "bin", configuration, "net10.0", "Worker.dll");
            if (File.Exists(candidate))
                return candidate;
        }
        throw new FileNotFoundException("Worker.dll not found next to the tests");
    }
}
