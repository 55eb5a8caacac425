using System.Collections;
using System.Collections.Concurrent;

namespace Portcullis.Analyzer.Native;

/// <summary>
/// A library's reachable functions, what each does directly and whom it calls: the compact form a
/// <see cref="LibrarySummary"/> is cached in. Each export's <see cref="ExportSummary"/> (every item it reaches, with a
/// shortest chain) is derived from it on first use, one breadth-first walk per export, rather than for all exports up
/// front: libcrypto's 5,363 exports would otherwise hold 150,000 chains (45 MB of JSON, slower to read than to compute).
/// </summary>
/// <param name="Strings">Function and import names, referred to by index.</param>
/// <param name="Functions">The functions, in address order.</param>
/// <param name="Exports">Exported name to the index of its function.</param>
/// <param name="InData">
/// Functions whose address the loader writes into data (R_X86_64_RELATIVE: method tables, callbacks in static
/// structs, .init_array): what a call through a pointer loaded from memory can land on, besides the exports and
/// what code takes the address of (an edge of the function that takes it).
/// </param>
public sealed record LibraryGraph(IReadOnlyList<string> Strings, IReadOnlyList<GraphFunction> Functions, IReadOnlyDictionary<string, int> Exports, IReadOnlyList<int> InData)
{
    private LazyExports? summaries;

    /// <summary>The exports' summaries, each built on first access and kept with the graph (two threads may both build one: same result).</summary>
    internal IReadOnlyDictionary<string, ExportSummary> Summaries => summaries ??= new LazyExports(this);

    /// <param name="fileName">The library's file name, for the <see cref="Knowledge.NativeFallbacks"/> known in it.</param>
    internal static LibraryGraph From(ElfCode elf, NativeCallGraph graph, string fileName)
    {
        var fallbacks = Knowledge.NativeFallbacks.For(fileName);
        var strings = new List<string>();
        var stringIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var functionIndex = new Dictionary<ulong, int>();
        foreach (var address in graph.Facts.Keys)
            functionIndex[address] = functionIndex.Count;
        var functions = new List<GraphFunction>(graph.Facts.Count);
        foreach (var (address, facts) in graph.Facts)
        {
            functions.Add(new GraphFunction(
                String(elf.NameOf(address)),
                [.. facts.Calls.Where(functionIndex.ContainsKey).Select(c => functionIndex[c])],
                [.. facts.Imports.Select(String)],
                [.. facts.DynamicImports.Select(String)],
                [.. facts.Syscalls],
                facts.UnresolvedIndirect > 0));
        }
        var exports = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var export in elf.Exports)
            if (functionIndex.TryGetValue(export.Address, out var index))
                exports.TryAdd(export.Name, index);
        var inData = elf.LocalSlots.Values.Where(functionIndex.ContainsKey).Select(a => functionIndex[a]).Distinct().Order().ToArray();
        var enteredOtherwise = exports.Values.Concat(inData).ToHashSet();
        foreach (var fallback in fallbacks)
        {
            if (Knowledge.NativeFallbacks.Holds(fallback, functions, strings, enteredOtherwise) is { } function)
                functions[function] = functions[function] with { FallbackOf = fallback.Failed };
        }
        return new LibraryGraph(strings, functions, exports, inData);

        int String(string s)
        {
            if (!stringIndex.TryGetValue(s, out var i))
            {
                stringIndex[s] = i = strings.Count;
                strings.Add(s);
            }
            return i;
        }
    }

    /// <summary>Whether every index points into its table, as a graph read back from a cache file must before it is walked.</summary>
    internal bool IsConsistent()
    {
        if (Strings is null || Functions is null || Exports is null || InData is null)
            return false;
        bool String(int i) => i >= 0 && i < Strings.Count;
        return Functions.All(f => f is { Calls: not null, Imports: not null, DynamicImports: not null, Syscalls: not null } && String(f.Name)
                && f.Calls.All(c => c >= 0 && c < Functions.Count) && f.Imports.All(String) && f.DynamicImports.All(String))
            && Exports.Values.All(e => e >= 0 && e < Functions.Count) && InData.All(e => e >= 0 && e < Functions.Count);
    }

    /// <summary>What the export reaches: a breadth-first walk from its function, so each item's chain is a shortest one.</summary>
    internal ExportSummary Summarise(string export) => Walk(export, [Exports[export]], named: false);

    /// <summary>What the functions in data tables reach (<see cref="InData"/>), each chain starting at the table's function.</summary>
    internal ExportSummary SummariseInData(string label) => Walk(label, InData, named: true);

    private ExportSummary Walk(string export, IReadOnlyList<int> roots, bool named)
    {
        var parent = new Dictionary<int, int>();
        var queue = new Queue<int>();
        foreach (var root in roots)
            if (parent.TryAdd(root, -1))
                queue.Enqueue(root);
        var imports = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var dynamic = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var syscalls = new SortedDictionary<int, IReadOnlyList<string>>();
        var unresolved = false;
        while (queue.TryDequeue(out var f))
        {
            var function = Functions[f];
            if (function.FallbackOf is not null)
                continue; // runs only after a syscall every profile allows has failed
            unresolved |= function.Unresolved;
            IReadOnlyList<string>? chain = null;
            foreach (var i in function.Imports)
                imports.TryAdd(Strings[i], chain ??= Chain(export, parent, f, named));
            foreach (var i in function.DynamicImports)
                dynamic.TryAdd(Strings[i], chain ??= Chain(export, parent, f, named));
            foreach (var n in function.Syscalls)
                syscalls.TryAdd(n, chain ??= Chain(export, parent, f, named));
            foreach (var callee in function.Calls)
                if (parent.TryAdd(callee, f))
                    queue.Enqueue(callee);
        }
        return new ExportSummary(export, imports, dynamic, syscalls, unresolved);
    }

    /// <summary>The export's name (or the label, then the root's name), then each function on the way down to <paramref name="f"/>.</summary>
    private List<string> Chain(string export, Dictionary<int, int> parent, int f, bool named)
    {
        var path = new List<string>();
        var at = f;
        for (; parent[at] != -1; at = parent[at])
            path.Add(Strings[Functions[at].Name]);
        if (named)
            path.Add(Strings[Functions[at].Name]);
        path.Add(export);
        path.Reverse();
        return path;
    }
}

/// <summary>One function of a <see cref="LibraryGraph"/>: the <see cref="FunctionFacts"/> of its code, by index.</summary>
/// <param name="Name">Its symbol, an offset into one, or sub_hex (index into <see cref="LibraryGraph.Strings"/>).</param>
/// <param name="Calls">Functions it calls, tail-jumps to or takes as a callback (indexes into <see cref="LibraryGraph.Functions"/>).</param>
/// <param name="Imports">Imports it calls (indexes into the strings).</param>
/// <param name="DynamicImports">Functions it calls through dlsym slots (indexes into the strings).</param>
/// <param name="Syscalls">Raw syscall numbers it issues.</param>
/// <param name="Unresolved">It calls through a pointer (or issues a syscall) that static analysis cannot name.</param>
/// <param name="FallbackOf">
/// The syscall whose failure alone leads here (<see cref="Knowledge.NativeFallbacks"/>): every profile allows it, so
/// walks do not follow this function. Its facts are kept, for the test that checks the premise on the real library.
/// </param>
public sealed record GraphFunction(int Name, int[] Calls, int[] Imports, int[] DynamicImports, int[] Syscalls, bool Unresolved, string? FallbackOf = null);

/// <summary>The exports of a <see cref="LibraryGraph"/>, each summarised on first access and then kept.</summary>
internal sealed class LazyExports(LibraryGraph graph) : IReadOnlyDictionary<string, ExportSummary>
{
    private readonly ConcurrentDictionary<string, ExportSummary> built = new(StringComparer.Ordinal);

    public ExportSummary this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"no export {key}");

    public IEnumerable<string> Keys => graph.Exports.Keys;

    public IEnumerable<ExportSummary> Values => Keys.Select(k => this[k]);

    public int Count => graph.Exports.Count;

    public bool ContainsKey(string key) => graph.Exports.ContainsKey(key);

    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out ExportSummary value)
    {
        if (!graph.Exports.ContainsKey(key))
        {
            value = null;
            return false;
        }
        value = built.GetOrAdd(key, graph.Summarise);
        return true;
    }

    public IEnumerator<KeyValuePair<string, ExportSummary>> GetEnumerator() =>
        Keys.Select(k => new KeyValuePair<string, ExportSummary>(k, this[k])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
