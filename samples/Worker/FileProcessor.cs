using System.Diagnostics;
using System.Security.Cryptography;

namespace Worker;

/// <summary>Counts words, hashes, and compresses one file with the system's gzip.</summary>
public static class FileProcessor
{
    public static async Task<FileResult> ProcessAsync(string input, string outputDirectory, CancellationToken cancel)
    {
        var bytes = await File.ReadAllBytesAsync(input, cancel);
        var words = System.Text.Encoding.UTF8.GetString(bytes).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
        var target = Path.Combine(outputDirectory, Path.GetFileName(input) + ".gz");

        var start = new ProcessStartInfo("gzip", ["-c", "-9", input]) { RedirectStandardOutput = true };
        using (var gzip = Process.Start(start)!)
        await using (var output = File.Create(target))
        {
            await gzip.StandardOutput.BaseStream.CopyToAsync(output, cancel);
            await gzip.WaitForExitAsync(cancel);
            if (gzip.ExitCode != 0)
                throw new InvalidOperationException($"gzip failed on {input} with {gzip.ExitCode}");
        }
        return new FileResult(Path.GetFileName(input), words, Convert.ToHexStringLower(SHA256.HashData(bytes)), new FileInfo(target).Length);
    }
}
