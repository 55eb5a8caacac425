using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;

namespace Portcullis.Analyzer.Native;

/// <summary>
/// Summaries of native libraries, computed once per file content: kept in memory for the process and on disk under
/// the Portcullis cache directory as native/&lt;sha256&gt;.json, since the runtime's libraries are the same for every app.
/// </summary>
internal static class LibrarySummaries
{
    /// <summary>Bump when the summary's shape or the analysis changes, so that older cached files are recomputed.</summary>
    public const int FormatVersion = 6;

    private static readonly ConcurrentDictionary<(string Path, long Length, DateTime Written), LibrarySummary> Memory = new();

    public static LibrarySummary Of(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        var info = new FileInfo(full);
        var key = (full, info.Length, info.LastWriteTimeUtc);
        return Memory.GetOrAdd(key, _ => FromDisk(full));
    }

    /// <summary>The cache directory: PORTCULLIS_CACHE, else $XDG_CACHE_HOME/portcullis, else ~/.cache/portcullis.</summary>
    /// <param name="environment">Reads a variable (the process's by default; tests pass their own rather than change the process's, which parallel tests share).</param>
    public static string CacheDirectory(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var explicitDir = environment("PORTCULLIS_CACHE");
        if (!string.IsNullOrEmpty(explicitDir))
            return explicitDir;
        var xdg = environment("XDG_CACHE_HOME");
        if (!string.IsNullOrEmpty(xdg))
            return System.IO.Path.Combine(xdg, "portcullis");
        return System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "portcullis");
    }

    public static string CacheFile(string sha256, string? directory = null) => System.IO.Path.Combine(directory ?? CacheDirectory(), "native", sha256 + ".json");

    /// <summary>The disk cache alone, bypassing memory: reads a valid file of this version, else computes and (re)writes it.</summary>
    internal static LibrarySummary FromDisk(string path, string? directory = null)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
        var file = CacheFile(sha, directory);
        if (TryRead(file, sha) is { } cached)
            return cached with { Path = path };
        var summary = LibrarySummary.Compute(path);
        TryWrite(file, summary);
        return summary;
    }

    private static LibrarySummary? TryRead(string file, string sha)
    {
        try
        {
            if (!File.Exists(file))
                return null;
            using var stream = File.OpenRead(file);
            var entry = JsonSerializer.Deserialize(stream, NativeJsonContext.Default.NativeCacheFile);
            return entry is { Version: FormatVersion, Summary: { } s } && s.Sha256 == sha && s.Graph is not null && s.Graph.IsConsistent() ? s : null;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return null; // corrupt or unreadable: recompute and overwrite
        }
    }

    /// <summary>Written beside the target and moved over it, so a concurrent reader sees the old file or the new one, never half.</summary>
    private static void TryWrite(string file, LibrarySummary summary)
    {
        var temp = $"{file}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
            using (var stream = File.Create(temp))
                JsonSerializer.Serialize(stream, new NativeCacheFile(FormatVersion, summary), NativeJsonContext.Default.NativeCacheFile);
            File.Move(temp, file, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A read-only or full cache only costs the next run a recomputation.
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
