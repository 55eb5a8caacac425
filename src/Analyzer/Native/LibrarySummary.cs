using System.Security.Cryptography;

namespace Portcullis.Analyzer.Native;

/// <summary>What the code of one native library can do, per export, read statically from the x86-64 ELF file.</summary>
/// <param name="Path">The file summarised.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the file: the cache key, since the same library ships in many apps.</param>
/// <param name="Needed">DT_NEEDED libraries, loaded with it.</param>
/// <param name="Opened">Library names in its read-only data, which it may dlopen (the OpenSSL shim finds libssl.so.3 this way).</param>
/// <param name="Exports">Exported function to what it reaches.</param>
/// <param name="ImportsInData">Imports whose address sits in a data table: an export that calls through a pointer may call them.</param>
public sealed record LibrarySummary(
    string Path,
    string Sha256,
    IReadOnlyList<string> Needed,
    IReadOnlyList<string> Opened,
    IReadOnlyDictionary<string, ExportSummary> Exports,
    IReadOnlyList<string> ImportsInData)
{
    /// <summary>Decodes the library's reachable code once and summarises every export.</summary>
    /// <exception cref="NotSupportedException">The file is not a 64-bit x86-64 ELF file.</exception>
    /// <exception cref="InvalidDataException">The file is a malformed ELF file.</exception>
    public static LibrarySummary Compute(string path)
    {
        var elf = ElfCode.Load(path);
        var graph = new NativeCallGraph(elf, elf.Exports.Select(e => e.Address));

        var importUsers = new SortedDictionary<string, List<ulong>>(StringComparer.Ordinal);
        var syscallUsers = new SortedDictionary<int, List<ulong>>();
        var unresolvedUsers = new List<ulong>();
        foreach (var (f, facts) in graph.Facts)
        {
            foreach (var name in facts.Imports)
                Add(importUsers, name, f);
            foreach (var number in facts.Syscalls)
                Add(syscallUsers, number, f);
            if (facts.UnresolvedIndirect > 0)
                unresolvedUsers.Add(f);
        }
        var importRoutes = importUsers.Select(kv => (kv.Key, Routes: graph.RoutesTo(kv.Value))).ToList();
        var syscallRoutes = syscallUsers.Select(kv => (kv.Key, Routes: graph.RoutesTo(kv.Value))).ToList();
        var unresolved = graph.RoutesTo(unresolvedUsers);

        var exports = new Dictionary<string, ExportSummary>(StringComparer.Ordinal);
        foreach (var export in elf.Exports.OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            if (exports.ContainsKey(export.Name))
                continue;
            var imports = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            foreach (var (name, routes) in importRoutes)
                if (Chain(elf, export, routes) is { } chain)
                    imports[name] = chain;
            var syscalls = new Dictionary<int, IReadOnlyList<string>>();
            foreach (var (number, routes) in syscallRoutes)
                if (Chain(elf, export, routes) is { } chain)
                    syscalls[number] = chain;
            exports[export.Name] = new ExportSummary(export.Name, imports, syscalls, unresolved.ContainsKey(export.Address));
        }

        return new LibrarySummary(path, Convert.ToHexStringLower(SHA256.HashData(elf.Bytes)), elf.Needed, elf.LibraryNameStrings, exports, elf.ImportsInData);
    }

    private static void Add<TKey>(SortedDictionary<TKey, List<ulong>> users, TKey key, ulong function)
        where TKey : notnull
    {
        if (!users.TryGetValue(key, out var list))
            users[key] = list = [];
        list.Add(function);
    }

    /// <summary>The export's name, then each function on the route, ending with the one that uses the item.</summary>
    private static List<string>? Chain(ElfCode elf, ElfExport export, Dictionary<ulong, ulong> routes)
    {
        if (!routes.TryGetValue(export.Address, out var next))
            return null;
        var chain = new List<string> { export.Name };
        var at = export.Address;
        while (next != at)
        {
            at = next;
            chain.Add(elf.NameOf(at));
            next = routes[at];
        }
        return chain;
    }
}
