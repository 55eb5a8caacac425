using System.Security.Cryptography;
using System.Text.Json;

namespace Portcullis.Analyzer.Native;

/// <summary>
/// Answers per export of one library, kept under the Portcullis cache as native/&lt;sha256&gt;.exports.json: the
/// framework's shims are the same for every app, and reading a library's whole summary (and those of the libraries
/// it opens, libssl and libcrypto for the OpenSSL shim) costs more than the rest of an analysis. An answer counts
/// while this analyzer build made it and the files it was computed from (the libc, the libraries opened) are unchanged.
/// </summary>
internal sealed class ExportResults
{
    private const int FormatVersion = 2;
    private static readonly Guid AnalyzerBuild = typeof(ExportResults).Assembly.ManifestModule.ModuleVersionId;

    private readonly string? _file;
    private readonly Dictionary<string, ExportResult> _exports = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FileStamp> _inputs = new(StringComparer.Ordinal);
    private ExportResult? _opened;
    private ExportResult? _inTables;
    private bool _grown;

    private ExportResults(string? file) => _file = file;

    /// <summary>The answers cached for <paramref name="library"/>, or none when <paramref name="cacheDirectory"/> is null.</summary>
    public static ExportResults For(string library, string? cacheDirectory)
    {
        if (cacheDirectory is null)
            return new ExportResults(null);
        var sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(library)));
        var results = new ExportResults(Path.Combine(cacheDirectory, "native", sha + ".exports.json"));
        results.Read();
        return results;
    }

    public ExportResult Of(string export, Func<(ExportResult Result, IEnumerable<string> Inputs)> compute)
    {
        if (_exports.TryGetValue(export, out var known))
            return known;
        var (result, inputs) = compute();
        foreach (var input in inputs)
            _inputs.TryAdd(Path.GetFullPath(input), FileStamp.Of(input));
        _exports[export] = result;
        _grown = true;
        return result;
    }

    /// <summary>What the libraries this one opens import, for exports that call through a pointer (<see cref="ExportResult.ThroughOpened"/>).</summary>
    public ExportResult Opened(Func<(ExportResult Result, IEnumerable<string> Inputs)> compute) => _opened ??= Computed(compute);

    /// <summary>What the functions the opened libraries keep in data reach, for exports whose way through them calls through a pointer (<see cref="ExportResult.ThroughTables"/>).</summary>
    public ExportResult InTables(Func<(ExportResult Result, IEnumerable<string> Inputs)> compute) => _inTables ??= Computed(compute);

    private ExportResult Computed(Func<(ExportResult Result, IEnumerable<string> Inputs)> compute)
    {
        var (result, inputs) = compute();
        foreach (var input in inputs)
            _inputs.TryAdd(Path.GetFullPath(input), FileStamp.Of(input));
        _grown = true;
        return result;
    }

    /// <summary>Written beside the target and moved over it, so a concurrent reader sees the old file or the new one, never half.</summary>
    public void Save()
    {
        if (_file is null || !_grown)
            return;
        var temp = $"{_file}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_file)!);
            using (var stream = File.Create(temp))
                JsonSerializer.Serialize(stream, new ExportResultsFile(FormatVersion, AnalyzerBuild, [.. _inputs.Values], _exports, _opened, _inTables), NativeJsonContext.Default.ExportResultsFile);
            File.Move(temp, _file, overwrite: true);
            _grown = false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A read-only or full cache only costs the next run a recomputation.
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private void Read()
    {
        try
        {
            if (!File.Exists(_file))
                return;
            using var stream = File.OpenRead(_file);
            var file = JsonSerializer.Deserialize(stream, NativeJsonContext.Default.ExportResultsFile);
            if (file is not { Version: FormatVersion } || file.Analyzer != AnalyzerBuild || !file.Inputs.All(i => i.IsCurrent))
                return;
            foreach (var input in file.Inputs)
                _inputs[input.Path] = input;
            foreach (var (export, result) in file.Exports)
                _exports[export] = result;
            _opened = file.Opened;
            _inTables = file.InTables;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            // corrupt or unreadable: recomputed and overwritten
        }
    }
}
