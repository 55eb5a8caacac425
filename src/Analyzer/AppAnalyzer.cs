using Mono.Cecil;
using Mono.Cecil.Cil;
using Portcullis.Analyzer.Il;
using Portcullis.Analyzer.Knowledge;
using Portcullis.Analyzer.Loading;
using Portcullis.Analyzer.Model;
using Portcullis.Analyzer.Passes;
using Portcullis.Profiles.Diagnostics;

namespace Portcullis.Analyzer;

/// <summary>
/// Predicts the syscalls of a published .NET app from its code and its framework's: load the app and the
/// shared framework it runs on (<see cref="AppAssemblies"/>), walk app and framework IL together
/// (<see cref="Reachability"/>) down to the P/Invokes, find each P/Invoke's library (<see cref="PInvokeTargets"/>)
/// and what its export can make (<see cref="NativeSide"/>: the binary's code, then libc's functions by
/// <see cref="LibcSyscalls"/>). Each predicted syscall keeps the app's call site, the framework path and the
/// native path that lead to it. The runtime's own libraries (QCalls) are the measured start-up base, not predicted.
/// </summary>
public static class AppAnalyzer
{
    private const int EvidencePerSyscall = 5;
    private const int PathEnds = 6;

    // Evidence through a pointer the native walk could not resolve is the weakest: shown after every direct path.
    private const int Unresolved = 1000;

    /// <param name="rootMethod">Walk from this method (Namespace.Type::Method) instead of the entry point; native libraries the app ships but never P/Invokes are then left out.</param>
    /// <param name="cacheDirectory">Where the compiled framework is kept between runs; the Portcullis cache directory by default.</param>
    public static Prediction Analyze(string directory, string? entryAssembly = null, string? rootMethod = null, string? cacheDirectory = null)
    {
        using var app = AppAssemblies.Load(directory, entryAssembly);
        cacheDirectory ??= Native.LibrarySummaries.CacheDirectory();
        var code = new CodeModules(app, cacheDirectory);
        var diagnostics = new List<Diagnostic>();
        foreach (var missing in app.MissingFrameworks)
            diagnostics.Add(Diagnostic.Warning(DiagnosticId.FrameworkNotFound, $"the app runs on {missing}, which is not installed here: calls into it are not followed, so paths its tests do not exercise are not covered; install that runtime where analysis runs"));

        var reach = new Reachability(app, code).Run(rootMethod);
        code.Save();
        foreach (var u in reach.Unfollowable)
            diagnostics.Add(Diagnostic.Warning(DiagnosticId.AnalysisIncomplete, $"{Name(code, u.Site)}{At(code, u.Site, u.Offset)} calls {u.What}: the type it names cannot be followed; cover that path with a test"));

        // Each piece of evidence with the length of its path: the shortest explain a syscall best and are shown first.
        var evidence = new Dictionary<string, List<(Evidence Evidence, int Depth)>>(StringComparer.Ordinal);
        void Add(string syscall, Evidence e, int depth) => (evidence.TryGetValue(syscall, out var list) ? list : evidence[syscall] = []).Add((e, depth));
        var targets = new PInvokeTargets(app);
        var native = new NativeSide(diagnostics, cacheDirectory);
        var reachedLibraries = new SortedSet<string>(StringComparer.Ordinal);
        var notFound = new HashSet<string>(StringComparer.Ordinal);
        var ownSocket = false;
        var reachedNames = new Lazy<HashSet<string>>(() => reach.Reached.Keys.Select(m => Name(code, m)).ToHashSet(StringComparer.Ordinal));
        foreach (var pinvoke in reach.PInvokes)
        {
            var compiled = code.Method(pinvoke);
            var target = targets.Of(compiled);
            IReadOnlyList<(string Syscall, string Native)> made = target.Kind switch
            {
                PInvokeTargetKind.Libc => (LibcSyscalls.For(target.Entry) ?? []).Select(s => (s, $"libc!{target.Entry}")).ToList(),
                PInvokeTargetKind.Library => ArgumentGuards.Narrow(target.Entry, native.Of(target.LibraryPath!, target.Entry), reachedNames.Value.Contains),
                _ => [],
            };
            if (target.Kind is PInvokeTargetKind.Libc && LibcSyscalls.For(target.Entry) is null)
                diagnostics.Add(Diagnostic.Warning(DiagnosticId.AnalysisIncomplete, $"{Name(code, pinvoke)} calls libc's {target.Entry}, whose syscalls analysis does not know; allow them with --allow or cover the path with a test"));
            if (target.Kind is PInvokeTargetKind.NotFound && notFound.Add(target.Module))
                diagnostics.Add(Diagnostic.Warning(DiagnosticId.AnalysisIncomplete, $"{Name(code, pinvoke)} calls into {target.Module}, which is neither in the app nor in its framework: what it makes is not predicted"));
            if (target.Kind is PInvokeTargetKind.Library)
                reachedLibraries.Add(Path.GetFileName(target.LibraryPath!));
            if (made.Count == 0)
                continue;
            var (site, depth) = SiteOf(code, reach, pinvoke);
            ownSocket |= made.Any(m => m.Syscall == "socket" && !SocketFamilies.IsFrameworkPath(m.Native));
            foreach (var (syscall, via) in made)
                Add(syscall, site with { Native = via }, depth + (via.AsSpan().Count('→') + 1) + (via.Contains(NativeSide.ThroughPointer, StringComparison.Ordinal) ? Unresolved : 0));
        }

        // Libraries the app ships that no P/Invoke reaches are loaded by a package's own resolver: all their imports count.
        foreach (var library in app.NativeLibraries.Where(l => rootMethod is null && !reachedLibraries.Contains(Path.GetFileName(l))))
        {
            var name = Path.GetFileName(library);
            foreach (var (s, function) in native.Whole(library))
            {
                ownSocket |= s == "socket";
                Add(s, new Evidence(Path.GetRelativePath(app.Directory, library), $"{name}!{function}", "native", null, null) { Native = $"{name} → {function}" }, int.MaxValue);
            }
        }

        native.Save();

        var predicted = evidence.OrderBy(e => e.Key, StringComparer.Ordinal)
            .Select(e => new PredictedSyscall(e.Key, e.Value.OrderBy(x => x.Depth).Select(x => x.Evidence).DistinctBy(x => (x.Site, x.Api, x.Native)).Take(EvidencePerSyscall).ToList(), e.Value.Count))
            .ToList();
        return new Prediction
        {
            Application = app.EntryModule?.Assembly.Name.Name ?? Path.GetFileName(app.Directory),
            Runtime = RuntimeVersion(app),
            Syscalls = predicted,
            ReachedLibraries = [.. reachedLibraries],
            NativeLibraries = app.NativeLibraries.Select(p => Path.GetRelativePath(app.Directory, p)).ToList(),
            HostsWebServer = reach.Reached.Keys.Any(m => DeclaringType(code, m).Namespace.StartsWith("Microsoft.AspNetCore.Server.Kestrel", StringComparison.Ordinal)),
            ReachableMethods = reach.Reached.Count,
            SocketFamilies = ownSocket ? null : SocketFamilies.Of(app),
            Diagnostics = diagnostics,
        };
    }

    // The deepest app method on the path that first reached the P/Invoke, the API it calls, and the framework methods after it.
    private static (Evidence Evidence, int Depth) SiteOf(CodeModules code, Reachability reach, CodeRef pinvoke)
    {
        var chain = new List<(CodeRef Method, Reachability.Step Step)>();
        var seen = new HashSet<CodeRef>();
        for (CodeRef? m = pinvoke; m is { } current && seen.Add(current);)
        {
            var step = reach.Reached.GetValueOrDefault(current);
            chain.Add((current, step));
            m = step.From;
        }
        chain.Reverse();
        var siteIndex = chain.FindLastIndex(c => code.IsCallSite(c.Method.Module));
        if (siteIndex < 0)
            siteIndex = 0;
        var site = chain[siteIndex].Method;
        var rest = chain.Skip(siteIndex + 1).Select(c => Name(code, c.Method)).ToList();
        var offset = siteIndex + 1 < chain.Count ? chain[siteIndex + 1].Step.Offset : (int?)null;
        var path = rest.Count <= 2 * PathEnds ? rest : [.. rest.Take(PathEnds), "…", .. rest.TakeLast(PathEnds)];
        var group = siteIndex == chain.Count - 1 || rest.Count == 0 ? "pinvoke" : code.IsCallSite(pinvoke.Module) ? "pinvoke" : "framework";
        return (new Evidence(Name(code, site), rest.FirstOrDefault() ?? Name(code, pinvoke), group, offset, offset is { } o ? SourceOf(code, site, o) : null) { Path = path }, rest.Count);
    }

    private static string RuntimeVersion(AppAssemblies app) =>
        app.FrameworkDirectories.FirstOrDefault(d => d.Contains("Microsoft.NETCore.App", StringComparison.Ordinal)) is { } core
            ? Path.GetFileName(core)
            : typeof(object).Assembly.GetName().Version?.ToString(3) ?? Environment.Version.ToString();

    private static CompiledType DeclaringType(CodeModules code, CodeRef method) => code.Type(method with { Token = code.Method(method).DeclaringType });

    private static string Name(CodeModules code, CodeRef method) => $"{DeclaringType(code, method).Name}::{code.Method(method).Name}";

    private static string At(CodeModules code, CodeRef method, int offset) => SourceOf(code, method, offset) is { } s ? $" ({s})" : "";

    // The source line of the sequence point at or before the IL offset, when the module has a PDB (the app's own, read by Cecil).
    private static string? SourceOf(CodeModules code, CodeRef site, int offset)
    {
        if (code[site.Module].Cecil?.LookupToken(site.Token) is not MethodDefinition method || !method.DebugInformation.HasSequencePoints)
            return null;
        SequencePoint? best = null;
        foreach (var point in method.DebugInformation.SequencePoints)
        {
            if (point.Offset > offset)
                break;
            if (!point.IsHidden)
                best = point;
        }
        return best is null ? null : $"{Path.GetFileName(best.Document.Url)}:{best.StartLine}";
    }
}
