using System.Net.Sockets;
using System.Text.Json;
using Worker;

// Usage: Worker <input directory> <output directory> <results unix socket>
if (args is ["compress", var source, var target])
    return FileProcessor.Compress(source, target);
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: Worker <input-dir> <output-dir> <results-socket>");
    return 2;
}
var (inputs, outputs, socketPath) = (args[0], args[1], args[2]);
Directory.CreateDirectory(outputs);

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };

var results = new System.Collections.Concurrent.ConcurrentBag<FileResult>();
await Parallel.ForEachAsync(Directory.EnumerateFiles(inputs), new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancel.Token },
    async (file, token) => results.Add(await FileProcessor.ProcessAsync(file, outputs, token)));

// Results go to whoever listens on the Unix socket, one JSON document per line.
using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancel.Token);
await using var stream = new NetworkStream(socket, ownsSocket: false);
await using var writer = new StreamWriter(stream) { NewLine = "\n" };
foreach (var result in results.OrderBy(r => r.Name, StringComparer.Ordinal))
    await writer.WriteLineAsync(JsonSerializer.Serialize(result));
await writer.FlushAsync(cancel.Token);
Console.WriteLine($"processed {results.Count} files");
return 0;
