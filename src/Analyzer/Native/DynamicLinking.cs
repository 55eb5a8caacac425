using System.Text.RegularExpressions;

namespace Portcullis.Analyzer.Native;

/// <summary>
/// Follows an export of a library that calls through dlsym'd pointers (the OpenSSL, ICU and GSSAPI shims) into the
/// libraries it opens, down to libc: shim export → dynamic import FOO → FOO's summary in the opened library (or in a
/// library it needs: the shim looks libcrypto's functions up through libssl's handle) → its imports, each either a libc
/// function (a leaf, which is what the caller maps to syscalls), a function of another library of the set (followed
/// into that library's summary: libssl → libcrypto), or a C++ runtime, libgcc, libm or loader function (a leaf that
/// adds no libc function). Each (library, export) is visited once, breadth first, so each libc function keeps a chain
/// with the fewest library hops.
/// </summary>
public sealed partial class DynamicLinking
{
    /// <summary>Where the libraries a shim opens by bare name are looked for, in order.</summary>
    public static readonly IReadOnlyList<string> SystemDirectories = ["/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu"];

    private const string Libc = "libc.so.6";

    // Runtimes whose functions are leaves: what they call of libc is reached through the code that calls them.
    private static readonly string[] LeafRuntimes = ["libstdc++.so", "libgcc_s.so", "libm.so", "ld-linux"];

    private readonly IReadOnlyList<string> directories;
    private readonly Func<string, LibrarySummary> summaries;
    private readonly List<string> scope = [];
    private readonly HashSet<string> leaves = new(StringComparer.Ordinal);
    private readonly IReadOnlySet<string> libc;
    private readonly string? libcPath;
    private readonly Dictionary<string, string> definedBy = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> byStem = new(StringComparer.Ordinal);
    private readonly HashSet<string> leafFunctions = new(StringComparer.Ordinal);

    /// <param name="openedLibraries">
    /// What the shim dlopens, by file name ("libssl.so.3"; a name without a version, "libicuuc.so", takes the newest
    /// file of that name) or path; names that no directory holds are skipped, as dlopen's failed attempts are.
    /// </param>
    /// <param name="summaries">Summary of a library by path; <see cref="LibrarySummaries.Of"/>, cached on disk, by default.</param>
    /// <param name="directories">Directories to look names up in; <see cref="SystemDirectories"/> by default.</param>
    public DynamicLinking(IEnumerable<string> openedLibraries, Func<string, LibrarySummary>? summaries = null, IReadOnlyList<string>? directories = null)
    {
        this.directories = directories ?? SystemDirectories;
        this.summaries = summaries ?? LibrarySummaries.Of;
        libcPath = Find(Libc);
        libc = libcPath is not null ? NativeImports.Exports(libcPath) : new HashSet<string>(StringComparer.Ordinal);

        // dlopen loads the library and then what it needs, breadth first; dlsym on the handle searches them in that order.
        var queue = new Queue<string>(openedLibraries);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (queue.TryDequeue(out var name))
        {
            // The same file under two names (libicuuc.so, the development link, and libicuuc.so.72) is one library.
            if (Find(name) is not { } path || !seen.Add(RealPath(path)))
                continue;
            var file = Path.GetFileName(path);
            if (file == Libc)
                continue;
            if (LeafRuntimes.Any(r => file.StartsWith(r, StringComparison.Ordinal)))
            {
                leaves.Add(path);
                leafFunctions.UnionWith(NativeImports.Exports(path));
                continue;
            }
            scope.Add(path);
            var summary = this.summaries(path);
            foreach (var export in summary.Exports.Keys)
            {
                if (definedBy.TryAdd(export, path))
                    Stem(export).Add(export);
            }
            foreach (var needed in summary.Needed)
                queue.Enqueue(needed);
        }
    }

    /// <summary>The opened libraries and those they need that have code to follow, in lookup order (not libc, not the leaf runtimes).</summary>
    public IReadOnlyList<string> Libraries => scope;

    /// <summary>Every file it read (the libraries in scope, the leaf runtimes, libc): what an answer computed through it depends on.</summary>
    public IEnumerable<string> Files => [.. scope, .. leaves, .. libcPath is null ? Array.Empty<string>() : [libcPath]];

    /// <summary>What <paramref name="export"/> of <paramref name="library"/> reaches in libc, through its dynamic imports and the libraries' own imports.</summary>
    public DynamicReach Resolve(LibrarySummary library, string export)
    {
        if (!library.Exports.ContainsKey(export))
            return new DynamicReach(export, new Dictionary<string, IReadOnlyList<string>>(), new Dictionary<int, IReadOnlyList<string>>(), new Dictionary<string, IReadOnlyList<string>>(), [export]);
        return Walk(export, [(library, export, null, [export])]);
    }

    /// <summary>
    /// What a call through a pointer inside the libraries in scope can reach in libc: every function whose address
    /// sits in their data (method tables, callback structs) and every function of theirs or of libc a data pointer
    /// names (R_X86_64_64 to a symbol), followed as <see cref="Resolve"/> follows an export. A pointer made at run time
    /// comes from code that takes the address, which is an edge of that code; so this set, with the exports dlsym
    /// hands out, is closed: it is what the fallback allows instead of every function the libraries import.
    /// </summary>
    /// <param name="caller">
    /// The library that opened them, whose own tables they may be handed and call into (a callback struct it registers
    /// with a function it looked up): its functions in data count too.
    /// </param>
    public DynamicReach PointerTargets(LibrarySummary? caller = null)
    {
        const string Label = "(a function in a data table)";
        var seeds = new List<(LibrarySummary, string, ExportSummary?, List<string>)>();
        IEnumerable<string> libraries = caller is null || scope.Contains(caller.Path) ? scope : [.. scope, caller.Path];
        foreach (var path in libraries)
        {
            var summary = path == caller?.Path ? caller : summaries(path);
            var file = Path.GetFileName(path);
            seeds.Add((summary, Label, summary.Graph.SummariseInData($"{file} {Label}"), []));
            var named = summary.ImportsInData.ToDictionary(n => n, IReadOnlyList<string> (_) => [$"{file} (a pointer in data)"], StringComparer.Ordinal);
            seeds.Add((summary, Label, new ExportSummary(Label, named, new Dictionary<string, IReadOnlyList<string>>(), new Dictionary<int, IReadOnlyList<string>>(), false), []));
        }
        return Walk(Label, seeds);
    }

    /// <summary>Breadth first from the seeds (a library, an export of it or the given facts, the chain so far), each (library, export) once.</summary>
    private DynamicReach Walk(string export, IEnumerable<(LibrarySummary Summary, string Name, ExportSummary? Facts, List<string> Prefix)> seeds)
    {
        var functions = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var syscalls = new SortedDictionary<int, IReadOnlyList<string>>();
        var unresolved = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var notFound = new SortedSet<string>(StringComparer.Ordinal);
        var visited = new HashSet<(string, string)>();
        var queue = new Queue<(LibrarySummary Summary, string Name, ExportSummary? Facts, List<string> Prefix)>();
        foreach (var seed in seeds)
        {
            if (seed.Facts is not null || visited.Add((seed.Summary.Path, seed.Name)))
                queue.Enqueue(seed);
        }
        while (queue.TryDequeue(out var node))
        {
            var (summary, name, given, prefix) = node;
            var file = Path.GetFileName(summary.Path);
            if ((given ?? (summary.Exports.TryGetValue(name, out var found) ? found : null)) is not { } facts)
            {
                notFound.Add($"{file}!{name}");
                continue;
            }
            if (facts.UnresolvedIndirect)
                unresolved.TryAdd($"{file}!{name}", prefix);
            foreach (var (number, chain) in facts.Syscalls)
                syscalls.TryAdd(number, Extend(prefix, chain, given));
            foreach (var (imported, chain) in facts.Imports)
            {
                var path = Extend(prefix, chain, given);
                if (libc.Contains(imported))
                    functions.TryAdd(imported, [.. path, imported]);
                else if (definedBy.TryGetValue(imported, out var owner))
                    Visit(owner, imported, path);
                else if (!leafFunctions.Contains(imported))
                    notFound.Add(imported);
            }
            foreach (var (looked, chain) in facts.DynamicImports)
            {
                var path = Extend(prefix, chain, given);
                var any = false;
                foreach (var (owner, symbol) in Lookup(looked))
                {
                    any = true;
                    if (owner is null)
                        functions.TryAdd(symbol, [.. path, symbol]);
                    else
                        Visit(owner, symbol, path);
                }
                // dlsym finds nothing: the shim takes its fallback (already in its own summary) or stops.
                if (!any)
                    notFound.Add(looked);
            }
        }
        return new DynamicReach(export, functions, syscalls, unresolved, [.. notFound]);

        void Visit(string owner, string symbol, List<string> path)
        {
            if (visited.Add((owner, symbol)))
                queue.Enqueue((summaries(owner), symbol, null, [.. path, $"{symbol} ({Path.GetFileName(owner)})"]));
        }
    }

    /// <summary>
    /// What dlsym on an opened library's handle finds for a name: the first library in the scope defining it, or libc
    /// (owner null). A name ending in * (a version printed on at run time) matches the stem alone or with _72, _72_1.
    /// </summary>
    private IEnumerable<(string? Owner, string Symbol)> Lookup(string name)
    {
        if (!name.EndsWith('*'))
        {
            if (definedBy.TryGetValue(name, out var owner))
                yield return (owner, name);
            else if (libc.Contains(name))
                yield return (null, name);
            yield break;
        }
        var stem = name[..^1];
        if (byStem.TryGetValue(stem, out var names))
            foreach (var symbol in names)
                yield return (definedBy[symbol], symbol);
        else if (libc.Contains(stem))
            yield return (null, stem);
    }

    private List<string> Stem(string export)
    {
        var stem = VersionSuffix().Replace(export, "");
        if (!byStem.TryGetValue(stem, out var list))
            byStem[stem] = list = [];
        return list;
    }

    /// <summary>The chain so far, then the library's own chain past its first element (the export, already named; a seed's label is kept).</summary>
    private static List<string> Extend(List<string> prefix, IReadOnlyList<string> chain, ExportSummary? given) => [.. prefix, .. chain.Skip(given is null ? 1 : 0)];

    private string? Find(string name) => NativeImports.Find(name, directories);

    private static string RealPath(string path)
    {
        try
        {
            return File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);
        }
        catch (IOException)
        {
            return Path.GetFullPath(path);
        }
    }

    [GeneratedRegex(@"(_[0-9]+)+$")]
    private static partial Regex VersionSuffix();
}
