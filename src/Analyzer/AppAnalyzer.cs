using Mono.Cecil;
using Mono.Cecil.Cil;
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
    public static Prediction Analyze(string directory, string? entryAssembly = null, string? rootMethod = null)
    {
        using var app = AppAssemblies.Load(directory, entryAssembly);
        var diagnostics = new List<Diagnostic>();
        foreach (var missing in app.MissingFrameworks)
            diagnostics.Add(Diagnostic.Warning(DiagnosticId.FrameworkNotFound, $"the app runs on {missing}, which is not installed here: calls into it are not followed, so paths its tests do not exercise are not covered; install that runtime where analysis runs"));

        var reach = new Reachability(app).Run(rootMethod);
        foreach (var u in reach.Unfollowable)
            diagnostics.Add(Diagnostic.Warning(DiagnosticId.AnalysisIncomplete, $"{Name(u.Site)}{At(u.Site, u.Offset)} calls {u.What}: the type it names cannot be followed; cover that path with a test"));

        // Each piece of evidence with the length of its path: the shortest explain a syscall best and are shown first.
        var evidence = new Dictionary<string, List<(Evidence Evidence, int Depth)>>(StringComparer.Ordinal);
        void Add(string syscall, Evidence e, int depth) => (evidence.TryGetValue(syscall, out var list) ? list : evidence[syscall] = []).Add((e, depth));
        var targets = new PInvokeTargets(app);
        var native = new NativeSide(diagnostics);
        var reachedLibraries = new SortedSet<string>(StringComparer.Ordinal);
        var notFound = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pinvoke in reach.PInvokes)
        {
            var target = targets.Of(pinvoke);
            IReadOnlyList<(string Syscall, string Native)> made = target.Kind switch
            {
                PInvokeTargetKind.Libc => (LibcSyscalls.For(target.Entry) ?? []).Select(s => (s, $"libc!{target.Entry}")).ToList(),
                PInvokeTargetKind.Library => native.Of(target.LibraryPath!, target.Entry),
                _ => [],
            };
            if (target.Kind is PInvokeTargetKind.Libc && LibcSyscalls.For(target.Entry) is null)
                diagnostics.Add(Diagnostic.Warning(DiagnosticId.AnalysisIncomplete, $"{Name(pinvoke)} calls libc's {target.Entry}, whose syscalls analysis does not know; allow them with --allow or cover the path with a test"));
            if (target.Kind is PInvokeTargetKind.NotFound && notFound.Add(target.Module))
                diagnostics.Add(Diagnostic.Warning(DiagnosticId.AnalysisIncomplete, $"{Name(pinvoke)} calls into {target.Module}, which is neither in the app nor in its framework: what it makes is not predicted"));
            if (target.Kind is PInvokeTargetKind.Library)
                reachedLibraries.Add(Path.GetFileName(target.LibraryPath!));
            if (made.Count == 0)
                continue;
            var (site, depth) = SiteOf(app, reach, pinvoke);
            foreach (var (syscall, via) in made)
                Add(syscall, site with { Native = via }, depth + via.Split('→').Length + (via.Contains(NativeSide.ThroughPointer, StringComparison.Ordinal) ? Unresolved : 0));
        }

        // Libraries the app ships that no P/Invoke reaches are loaded by a package's own resolver: all their imports count.
        foreach (var library in app.NativeLibraries.Where(l => rootMethod is null && !reachedLibraries.Contains(Path.GetFileName(l))))
        {
            var name = Path.GetFileName(library);
            foreach (var (s, function) in native.Whole(library))
                Add(s, new Evidence(Path.GetRelativePath(app.Directory, library), $"{name}!{function}", "native", null, null) { Native = $"{name} → {function}" }, int.MaxValue);
        }

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
            HostsWebServer = reach.Reached.Keys.Any(m => m.DeclaringType.Namespace.StartsWith("Microsoft.AspNetCore.Server.Kestrel", StringComparison.Ordinal)),
            ReachableMethods = reach.Reached.Count,
            Diagnostics = diagnostics,
        };
    }

    // The deepest app method on the path that first reached the P/Invoke, the API it calls, and the framework methods after it.
    private static (Evidence Evidence, int Depth) SiteOf(AppAssemblies app, Reachability reach, MethodDefinition pinvoke)
    {
        var chain = new List<(MethodDefinition Method, Reachability.Step Step)>();
        var seen = new HashSet<MethodDefinition>();
        for (var m = pinvoke; m is not null && seen.Add(m);)
        {
            var step = reach.Reached.GetValueOrDefault(m);
            chain.Add((m, step));
            m = step.From;
        }
        chain.Reverse();
        var siteIndex = chain.FindLastIndex(c => app.IsApp(c.Method.Module));
        if (siteIndex < 0)
            siteIndex = 0;
        var site = chain[siteIndex].Method;
        var rest = chain.Skip(siteIndex + 1).Select(c => Name(c.Method)).ToList();
        var offset = siteIndex + 1 < chain.Count ? chain[siteIndex + 1].Step.Offset : (int?)null;
        var path = rest.Count <= 2 * PathEnds ? rest : [.. rest.Take(PathEnds), "…", .. rest.TakeLast(PathEnds)];
        var group = siteIndex == chain.Count - 1 || rest.Count == 0 ? "pinvoke" : app.IsApp(pinvoke.Module) ? "pinvoke" : "framework";
        return (new Evidence(Name(site), rest.FirstOrDefault() ?? Name(pinvoke), group, offset, offset is { } o ? SourceOf(site, o) : null) { Path = path }, rest.Count);
    }

    private static string RuntimeVersion(AppAssemblies app) =>
        app.FrameworkDirectories.FirstOrDefault(d => d.Contains("Microsoft.NETCore.App", StringComparison.Ordinal)) is { } core
            ? Path.GetFileName(core)
            : typeof(object).Assembly.GetName().Version?.ToString(3) ?? Environment.Version.ToString();

    private static string Name(MethodDefinition method) => $"{Reachability.TypeName(method.DeclaringType)}::{method.Name}";

    private static string At(MethodDefinition method, int offset) => SourceOf(method, offset) is { } s ? $" ({s})" : "";

    // The source line of the sequence point at or before the IL offset, when the module has a PDB.
    private static string? SourceOf(MethodDefinition method, int offset)
    {
        if (!method.DebugInformation.HasSequencePoints)
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
