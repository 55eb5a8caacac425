using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;

namespace Worker;

/// <summary>Counts words and hashes one file, and has a child process (this program, in its compress mode) write the gzip copy.</summary>
public static class FileProcessor
{
    public static async Task<FileResult> ProcessAsync(string input, string outputDirectory, CancellationToken cancel)
    {
        var bytes = await File.ReadAllBytesAsync(input, cancel);
        var words = System.Text.Encoding.UTF8.GetString(bytes).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
        var target = Path.Combine(outputDirectory, Path.GetFileName(input) + ".gz");

        using (var child = Process.Start(Self("compress", input, target))!)
        {
            await child.WaitForExitAsync(cancel);
            if (child.ExitCode != 0)
                throw new InvalidOperationException($"compressing {input} failed with {child.ExitCode}");
        }
        return new FileResult(Path.GetFileName(input), words, Convert.ToHexStringLower(SHA256.HashData(bytes)), new FileInfo(target).Length);
    }

    /// <summary>The compress mode the child runs: gzip <paramref name="input"/> into <paramref name="output"/>.</summary>
    public static int Compress(string input, string output)
    {
        using var source = File.OpenRead(input);
        using var target = new GZipStream(File.Create(output), CompressionLevel.SmallestSize);
        source.CopyTo(target);
        return 0;
    }

    // This same program: the apphost of a self-contained app, or `dotnet Worker.dll` for a framework-dependent one.
    private static ProcessStartInfo Self(params string[] args)
    {
        var process = Environment.ProcessPath!;
        var start = new ProcessStartInfo(process);
        if (Path.GetFileNameWithoutExtension(process) == "dotnet")
            start.ArgumentList.Add(typeof(FileProcessor).Assembly.Location);
        foreach (var a in args)
            start.ArgumentList.Add(a);
        return start;
    }
}
