using Mono.Cecil;
using Mono.Cecil.Cil;
using Portcullis.Analyzer.Knowledge;
using Portcullis.Analyzer.Loading;
using Portcullis.Analyzer.Model;
using Portcullis.Analyzer.Passes;

namespace Portcullis.Analyzer;

/// <summary>
/// Predicts the syscalls of a published .NET app: load (<see cref="AppAssemblies"/>), reachability
/// (<see cref="Reachability"/>), framework calls to measured groups (<see cref="Triggers"/> and the
/// knowledge base), P/Invokes into libc and the imports of the native libraries the app ships
/// (<see cref="NativeImports"/>, <see cref="LibcSyscalls"/>). Each predicted syscall keeps where it comes from.
/// </summary>
public static class AppAnalyzer
{
    private const int EvidencePerSyscall = 5;
    private static readonly string[] Libc = ["libc", "libc.so", "libc.so.6", "c"];

    /// <param name="rootMethod">Walk from this method (Namespace.Type::Method) instead of the entry point; native libraries are then left out.</param>
    public static Prediction Analyze(string directory, KnowledgeBase? knowledge = null, string? entryAssembly = null, string? rootMethod = null)
    {
        knowledge ??= KnowledgeBase.Shipped() ?? throw new InvalidOperationException("no knowledge base is shipped for this architecture");
        using var app = AppAssemblies.Load(directory, entryAssembly);
        var reach = new Reachability(app).Run(rootMethod);
        var evidence = new Dictionary<string, List<Evidence>>(StringComparer.Ordinal);
        var groups = new SortedSet<string>(StringComparer.Ordinal);
        void Add(string syscall, Evidence e) => (evidence.TryGetValue(syscall, out var list) ? list : evidence[syscall] = []).Add(e);

        var webServer = false;
        foreach (var call in reach.Calls)
        {
            var found = Triggers.For(call.DeclaringType, call.Member);
            if (found.Count == 0)
                continue;
            webServer |= Triggers.HostsWebServer(call.DeclaringType);
            var api = call.Member == ".type" ? call.DeclaringType : $"{call.DeclaringType}::{call.Member}";
            var site = Name(call.Site);
            var source = SourceOf(call.Site, call.Offset);
            foreach (var group in found)
            {
                groups.Add(group);
                foreach (var syscall in knowledge.Groups.GetValueOrDefault(group) ?? [])
                    Add(syscall, new Evidence(site, api, group, call.Offset, source));
            }
        }

        var natives = app.NativeLibraries.ToDictionary(p => Path.GetFileName(p), p => p, StringComparer.Ordinal);
        foreach (var (site, pinvoke) in reach.PInvokes)
        {
            var module = pinvoke.PInvokeInfo?.Module?.Name ?? "";
            var function = pinvoke.PInvokeInfo?.EntryPoint ?? pinvoke.Name;
            if (Libc.Contains(module) && LibcSyscalls.For(function) is { } syscalls)
            {
                foreach (var s in syscalls)
                    Add(s, new Evidence(Name(site), $"{module}!{function}", "libc", null, null));
            }
        }
        // The whole app: every native library it ships (loaded by name, dlopen or a package's resolver). One root: those its P/Invokes name.
        var invoked = reach.PInvokes.Select(p => p.PInvoke.PInvokeInfo?.Module?.Name ?? "").ToHashSet(StringComparer.Ordinal);
        foreach (var library in app.NativeLibraries.Where(l => rootMethod is null || invoked.Any(m => m.Length > 0 && Path.GetFileName(l).StartsWith("lib" + m, StringComparison.Ordinal))))
        {
            var name = Path.GetFileName(library);
            foreach (var function in NativeImports.Of(library))
            {
                foreach (var s in LibcSyscalls.For(function) ?? [])
                    Add(s, new Evidence(Path.GetRelativePath(app.Directory, library), $"{name}!{function}", "native", null, null));
            }
        }

        var predicted = evidence.OrderBy(e => e.Key, StringComparer.Ordinal)
            .Select(e => new PredictedSyscall(e.Key, e.Value.DistinctBy(x => (x.Site, x.Api)).Take(EvidencePerSyscall).ToList(), e.Value.Count))
            .ToList();
        return new Prediction
        {
            Application = app.EntryModule?.Assembly.Name.Name ?? Path.GetFileName(app.Directory),
            Runtime = knowledge.Runtime,
            Syscalls = predicted,
            Groups = [.. groups],
            NativeLibraries = app.NativeLibraries.Select(p => Path.GetRelativePath(app.Directory, p)).ToList(),
            HostsWebServer = webServer,
            ReachableMethods = reach.Reachable.Count,
        };
    }

    private static string Name(MethodDefinition method) => $"{Reachability.TypeName(method.DeclaringType)}::{method.Name}";

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
