using System.Security.Cryptography;
using System.Text.Json.Serialization;

namespace Portcullis.Analyzer.Native;

/// <summary>What the code of one native library can do, per export, read statically from the x86-64 ELF file.</summary>
/// <param name="Path">The file summarised.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the file: the cache key, since the same library ships in many apps.</param>
/// <param name="Needed">DT_NEEDED libraries, loaded with it.</param>
/// <param name="Opened">Library names in its read-only data, which it may dlopen (the OpenSSL shim finds libssl.so.3 this way).</param>
/// <param name="Graph">Its functions reachable from the exports and from pointers in data, and their facts: what is cached, and what <see cref="Exports"/> is derived from.</param>
/// <param name="ImportsInData">Imports whose address sits in a data table: an export that calls through a pointer may call them.</param>
public sealed record LibrarySummary(
    string Path,
    string Sha256,
    IReadOnlyList<string> Needed,
    IReadOnlyList<string> Opened,
    LibraryGraph Graph,
    IReadOnlyList<string> ImportsInData)
{
    /// <summary>Exported function to what it reaches, each computed from <see cref="Graph"/> on first access.</summary>
    [JsonIgnore]
    public IReadOnlyDictionary<string, ExportSummary> Exports => Graph.Summaries;

    /// <summary>Decodes the library's reachable code once; each export's summary follows from that on demand.</summary>
    /// <exception cref="NotSupportedException">The file is not a 64-bit x86-64 ELF file.</exception>
    /// <exception cref="InvalidDataException">The file is a malformed ELF file.</exception>
    public static LibrarySummary Compute(string path)
    {
        var elf = ElfCode.Load(path);
        var graph = LibraryGraph.From(elf, new NativeCallGraph(elf, elf.Exports.Select(e => e.Address).Concat(elf.LocalSlots.Values)), System.IO.Path.GetFileName(path));
        return new LibrarySummary(path, Convert.ToHexStringLower(SHA256.HashData(elf.Bytes)), elf.Needed, elf.LibraryNameStrings, graph, elf.ImportsInData);
    }
}
