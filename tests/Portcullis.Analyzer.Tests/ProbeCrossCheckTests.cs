using System.Reflection;
using Portcullis.Analyzer.Knowledge;
using Portcullis.Profiles.Generation;

namespace Portcullis.Analyzer.Tests;

/// <summary>
/// The measured groups of the knowledge base, kept as a cross-check: for each probe of tools/KnowledgeProbe,
/// the prediction computed from the probe's code alone must contain every syscall the probe made under the
/// recorder, except what every profile allows anyway (the .NET runtime's measured base, the vDSO's calls).
/// A disagreement names the probe and the syscalls analysis missed.
/// </summary>
public sealed class ProbeCrossCheckTests
{
    private static readonly KnowledgeBase Shipped = KnowledgeBase.Shipped() ?? throw new InvalidOperationException("no knowledge base is shipped");
    private static readonly string[] Vdso = ["clock_gettime", "clock_getres", "gettimeofday", "time", "getcpu"];

    // What a probe made that its code does not: each with the reason.
    private static readonly Dictionary<string, string> Explained = new(StringComparer.Ordinal)
    {
        // The recorder follows children: /bin/sh, which the process probe starts, asks for its parent and its ids; no .NET code does.
        ["getppid"] = "made by the program the process probe starts",
        ["getuid"] = "made by the program the process probe starts",
        ["getgid"] = "made by the program the process probe starts",
    };

    public static TheoryData<string> Groups => [.. Shipped.Groups.Keys.Where(g => g != "empty").Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Groups))]
    public void The_computed_prediction_contains_what_the_probe_made(string group)
    {
        var root = ProbeMethod(group);
        var prediction = AppAnalyzer.Analyze(AppContext.BaseDirectory, entryAssembly: "KnowledgeProbe", rootMethod: root);
        var predicted = prediction.Syscalls.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var missed = Shipped.Groups[group]
            .Except(Shipped.RuntimeBase, StringComparer.Ordinal).Except(DotnetRuntimeBase.Names, StringComparer.Ordinal).Except(Vdso, StringComparer.Ordinal)
            .Where(s => !predicted.Contains(s) && !Explained.ContainsKey(s)).Order(StringComparer.Ordinal).ToList();
        Assert.True(missed.Count == 0, $"probe {group} ({root}) made {string.Join(", ", missed)}, which analysis of its code does not predict");
        // Every libc function the framework's libraries (and those they open) import is in the table.
        Assert.True(prediction.Diagnostics.Count == 0, string.Join("\n", prediction.Diagnostics));
        TestContext.Current.SendDiagnosticMessage($"{group}: {prediction.ReachableMethods} methods, {predicted.Count} predicted, {Shipped.Groups[group].Count} measured");
    }

    // ProbeIndex.All maps each group to a method of Probes (a lambda for the empty one).
    private static string ProbeMethod(string group)
    {
        var probes = Assembly.Load("KnowledgeProbe").GetType("Portcullis.KnowledgeProbe.ProbeIndex", throwOnError: true)!;
        var all = (System.Collections.IDictionary)probes.GetProperty("All", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)!.GetValue(null)!;
        var method = ((Delegate)all[group]!).Method;
        return $"{method.DeclaringType!.FullName}::{method.Name}";
    }
}
