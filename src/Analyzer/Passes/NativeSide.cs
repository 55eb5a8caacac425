using Portcullis.Analyzer.Knowledge;
using Portcullis.Analyzer.Native;
using Portcullis.Profiles.Diagnostics;
using Portcullis.Profiles.Seccomp;
using Portcullis.Profiles.Syscalls;

namespace Portcullis.Analyzer.Passes;

/// <summary>
/// From a native export to the syscalls it can make: the export's summary (<see cref="LibrarySummaries"/>:
/// its calls followed through the library, the libc functions it reaches through the PLT, its raw syscalls),
/// libc functions mapped by <see cref="LibcSyscalls"/>. Pointers a shim filled by dlsym (ICU, GSSAPI, OpenSSL) are
/// followed into the libraries it opens (<see cref="DynamicLinking"/>); where their code calls through a pointer in turn
/// (OpenSSL's method tables), what every function they keep in data reaches is added. Where an export's own code
/// calls through a pointer analysis cannot resolve, every libc function it could be calling is allowed: those whose
/// address the library keeps in a table (sqlite's aSyscall) and those the libraries it opens import. A libc function
/// the table does not know is a diagnostic, once.
/// </summary>
internal sealed class NativeSide
{
    private static readonly string[] SystemLibraryDirectories = [.. DynamicLinking.SystemDirectories, "/lib64", "/usr/lib64", "/lib", "/usr/lib"];

    /// <summary>Marks a native path through a pointer the walk could not resolve.</summary>
    public const string ThroughPointer = "(through a pointer)";

    private static readonly string[] LanguageRuntimes = ["libc.so", "libstdc++.so", "libgcc_s.so", "libm.so", "ld-linux", "libdl.so", "libpthread.so", "librt.so"];

    // libc's own functions: an import the table does not know is worth a warning only if libc defines it.
    private static readonly Lazy<IReadOnlySet<string>> LibcFunctions = new(() => FindSystemLibrary("libc.so.6") is { } libc ? NativeImports.Exports(libc) : new HashSet<string>());

    private readonly List<Diagnostic> _diagnostics;
    private readonly string? _cacheDirectory;
    private readonly HashSet<string> _reportedUnknown = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DynamicLinking> _linking = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ExportResults> _results = new(StringComparer.Ordinal);

    /// <param name="cacheDirectory">Where answers per export are kept between runs (<see cref="ExportResults"/>), or null for none.</param>
    public NativeSide(List<Diagnostic> diagnostics, string? cacheDirectory = null)
    {
        _diagnostics = diagnostics;
        _cacheDirectory = cacheDirectory;
    }

    /// <summary>Syscalls of <paramref name="export"/> in <paramref name="library"/>, each with the native path (library!export → … → libc function).</summary>
    public IReadOnlyList<(string Syscall, string Native)> Of(string library, string export)
    {
        var full = Path.GetFullPath(library);
        if (!_results.TryGetValue(full, out var results))
            _results[full] = results = ExportResults.For(full, _cacheDirectory);
        var result = results.Of(export, () => Compute(full, export));
        if (result.Missing)
            _diagnostics.Add(Diagnostic.Warning(DiagnosticId.AnalysisIncomplete, $"{Path.GetFileName(library)} exports no {export}: what a P/Invoke into it makes is not predicted"));
        foreach (var unknown in result.Unknown)
            ReportUnknown(unknown.Function, unknown.Via);
        var found = result.Found.SelectMany(f => f.Syscalls.Select(s => (s, f.Via))).ToList();
        // What a pointer may reach is the same for every export of the library: computed once, each path led by this export.
        if (result.ThroughOpened)
            AddThroughPointer(results.Opened(() => ComputeOpened(full)));
        if (result.ThroughTables)
            AddThroughPointer(results.InTables(() => ComputeInTables(full)));
        return found;

        void AddThroughPointer(ExportResult reached)
        {
            var prefix = $"{Path.GetFileName(library)}!{export} → {ThroughPointer} ";
            found.AddRange(reached.Found.SelectMany(f => f.Syscalls.Select(s => (s, prefix + f.Via))));
            foreach (var unknown in reached.Unknown)
                ReportUnknown(unknown.Function, unknown.Via);
        }
    }

    /// <summary>Writes back the answers this run computed.</summary>
    public void Save()
    {
        foreach (var results in _results.Values)
            results.Save();
    }

    private (ExportResult Result, IEnumerable<string> Inputs) Compute(string library, string export)
    {
        var summary = LibrarySummaries.Of(library);
        var name = Path.GetFileName(library);
        var inputs = new List<string> { library };
        if (FindSystemLibrary("libc.so.6") is { } libcPath)
            inputs.Add(libcPath);
        if (!summary.Exports.TryGetValue(export, out var facts))
            return (new ExportResult([], true, []), inputs);
        var found = new List<(string Syscall, string Via)>();
        var unknown = new List<UnknownFunction>();
        var throughOpened = false;
        var throughTables = false;
        void AddLibc(string function, string via) => AddLibcFunction(function, via, found, unknown);
        foreach (var (function, chain) in facts.Imports)
            AddLibc(function, $"{name}!{string.Join(" → ", chain)} → {function}");
        foreach (var (number, chain) in facts.Syscalls)
        {
            if (SyscallTable.Name(number, SeccompArch.X86_64) is { } syscall)
                found.Add((syscall, $"{name}!{string.Join(" → ", chain)} → syscall {number}"));
        }
        var linking = facts.DynamicImports.Count > 0 && !facts.UnresolvedIndirect ? Linking(summary) : null;
        var dynamic = linking?.Resolve(summary, export);
        if (linking is not null)
            inputs.AddRange(linking.Files);
        if (dynamic is not null && !facts.UnresolvedIndirect)
        {
            // Every pointer the export calls through was filled by dlsym with a name: follow those into the opened
            // libraries. Where their code calls through a pointer in turn (OpenSSL's method tables), it lands on a
            // function they keep in data: those are added once per library (ThroughTables).
            throughTables = dynamic.Unresolved;
            AddReach(dynamic, $"{name}!", found, unknown);
        }
        else if (facts.UnresolvedIndirect)
        {
            // A call through a pointer may reach an import kept in a table (sqlite's aSyscall) or a library it opened.
            foreach (var function in summary.ImportsInData)
                AddLibc(function, $"{name}!{export} → {ThroughPointer} {function}");
            throughOpened = true;
        }
        return (new ExportResult(Grouped(found), false, unknown, throughOpened, throughTables), inputs);
    }

    // Consecutive syscalls of one path as one entry: the order is kept and each path is stored once.
    private static List<ViaSyscalls> Grouped(List<(string Syscall, string Via)> found)
    {
        var grouped = new List<ViaSyscalls>();
        foreach (var (syscall, via) in found)
        {
            if (grouped.Count > 0 && grouped[^1].Via == via)
                ((List<string>)grouped[^1].Syscalls).Add(syscall);
            else
                grouped.Add(new ViaSyscalls(via, new List<string> { syscall }));
        }
        return grouped;
    }

    // What a call through a pointer in the library may reach: what its own functions kept in data reach (SQLite's
    // io methods table: unixSync makes fsync, with no other way in), and the libc functions the libraries it
    // dlopens import, with those of the libraries they need (libssl's libcrypto: the shim looks its functions up
    // through libssl's handle). Not the C and C++ runtimes': their imports are reached through the PLT of code that
    // calls them, and the opened libraries call only their allocation and exception helpers (libstdc++'s
    // std::filesystem would otherwise add rename, symlink, mkdir).
    private static (ExportResult Result, IEnumerable<string> Inputs) ComputeOpened(string library)
    {
        var summary = LibrarySummaries.Of(library);
        var found = new List<(string, string)>();
        var unknown = new List<UnknownFunction>();
        var files = new List<string> { library };
        var name = Path.GetFileName(library);
        var inData = summary.Graph.SummariseInData($"{name} (a function in a data table)");
        foreach (var (function, chain) in inData.Imports)
            AddLibcFunction(function, $"{string.Join(" → ", chain)} → {function}", found, unknown);
        foreach (var (number, chain) in inData.Syscalls)
        {
            if (SyscallTable.Name(number, SeccompArch.X86_64) is { } syscall)
                found.Add((syscall, $"{string.Join(" → ", chain)} → syscall {number}"));
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>(summary.Opened);
        while (queue.TryDequeue(out var soname))
        {
            if (LanguageRuntimes.Any(r => soname.StartsWith(r, StringComparison.Ordinal)) || !seen.Add(soname) || FindSystemLibrary(soname) is not { } path)
                continue;
            files.Add(path);
            foreach (var function in NativeImports.Of(path))
            {
                var via = $"{soname} → {function}";
                if (LibcSyscalls.For(function) is { } syscalls)
                    found.AddRange(syscalls.Select(s => (s, via)));
                else if (LibcFunctions.Value.Contains(function))
                    unknown.Add(new UnknownFunction(function, via));
            }
            foreach (var needed in NeededOf(path))
                queue.Enqueue(needed);
        }
        if (FindSystemLibrary("libc.so.6") is { } libcPath)
            files.Add(libcPath);
        return (new ExportResult(Grouped(found), false, unknown), files);
    }

    private (ExportResult Result, IEnumerable<string> Inputs) ComputeInTables(string library)
    {
        var summary = LibrarySummaries.Of(library);
        var linking = Linking(summary);
        var found = new List<(string, string)>();
        var unknown = new List<UnknownFunction>();
        AddReach(linking.PointerTargets(summary), "", found, unknown);
        return (new ExportResult(Grouped(found), false, unknown), [library, .. linking.Files]);
    }

    /// <summary>What a walk through the opened libraries reached: its libc functions' syscalls and its raw syscalls, each path led by <paramref name="lead"/>.</summary>
    private static void AddReach(DynamicReach reach, string lead, List<(string, string)> found, List<UnknownFunction> unknown)
    {
        foreach (var (function, chain) in reach.LibcFunctions)
            AddLibcFunction(function, lead + string.Join(" → ", chain), found, unknown);
        foreach (var (number, chain) in reach.Syscalls)
        {
            if (SyscallTable.Name(number, SeccompArch.X86_64) is { } syscall)
                found.Add((syscall, $"{lead}{string.Join(" → ", chain)} → syscall {number}"));
        }
    }

    private static void AddLibcFunction(string function, string via, List<(string, string)> found, List<UnknownFunction> unknown)
    {
        if (LibcSyscalls.For(function) is { } syscalls)
            found.AddRange(syscalls.Select(s => (s, via)));
        else if (LibcFunctions.Value.Contains(function))
            unknown.Add(new UnknownFunction(function, via));
    }

    /// <summary>Every libc function a library the app ships imports, for one its own loader opens (no P/Invoke names it).</summary>
    public IEnumerable<(string Syscall, string Function)> Whole(string library)
    {
        var name = Path.GetFileName(library);
        foreach (var function in NativeImports.Of(library))
        {
            foreach (var s in Libc(function, $"{name} → {function}"))
                yield return (s, function);
        }
    }

    // A libc function's syscalls; one the table does not know is a warning (once), another library's function is that library's code.
    private IReadOnlyList<string> Libc(string function, string via)
    {
        if (LibcSyscalls.For(function) is { } syscalls)
            return syscalls;
        if (LibcFunctions.Value.Contains(function))
            ReportUnknown(function, via);
        return [];
    }

    private void ReportUnknown(string function, string via)
    {
        if (_reportedUnknown.Add(function))
            _diagnostics.Add(Diagnostic.Warning(DiagnosticId.AnalysisIncomplete, $"{via}: what libc's {function} makes is not known; allow its syscalls with --allow or cover the path with a test"));
    }

    private DynamicLinking Linking(LibrarySummary summary) =>
        _linking.TryGetValue(summary.Path, out var linking) ? linking : _linking[summary.Path] = new DynamicLinking(summary.Opened);

    private static IEnumerable<string> NeededOf(string path) => NativeImports.Needed(path);

    internal static string? FindSystemLibrary(string soname) => NativeImports.Find(soname, SystemLibraryDirectories);
}
