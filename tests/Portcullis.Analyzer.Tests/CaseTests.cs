using System.Reflection;
using Portcullis.Analyzer.Cases;
using Portcullis.Analyzer.Model;

namespace Portcullis.Analyzer.Tests;

/// <summary>
/// Runs the analyzer on each case of Portcullis.Analyzer.Cases from its Run method and checks what the case
/// declares: predicted ⊇ expected syscalls, and none of the forbidden ones (made only by dead code or by types
/// never instantiated). Extras are allowed and printed.
/// </summary>
public sealed class CaseTests
{
    public static TheoryData<string> Cases => [.. typeof(ExpectAttribute).Assembly.GetTypes()
        .Where(t => t.GetCustomAttributes().Any(a => a is ExpectAttribute or ForbidAttribute))
        .Select(t => t.FullName!).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_case_gets_what_it_declares(string caseType)
    {
        var type = typeof(ExpectAttribute).Assembly.GetType(caseType)!;
        var prediction = AppAnalyzer.Analyze(AppContext.BaseDirectory, entryAssembly: "Portcullis.Analyzer.Cases", rootMethod: caseType + "::Run");
        var predicted = prediction.Syscalls.ToDictionary(s => s.Name, StringComparer.Ordinal);
        foreach (var expected in type.GetCustomAttributes<ExpectAttribute>().SelectMany(a => a.Syscalls))
            Assert.True(predicted.ContainsKey(expected), $"{caseType}: {expected} not predicted; predicted: {string.Join(", ", predicted.Keys)}");
        foreach (var forbidden in type.GetCustomAttributes<ForbidAttribute>().SelectMany(a => a.Syscalls))
            Assert.False(predicted.ContainsKey(forbidden), $"{caseType}: {forbidden} predicted, by {(predicted.TryGetValue(forbidden, out var p) ? p.Evidence[0].ToString() : "")}");
        TestContext.Current.SendDiagnosticMessage($"{caseType}: {predicted.Count} syscalls, {prediction.ReachableMethods} methods: {string.Join(" ", predicted.Keys)}");
    }

    [Fact]
    public void Socket_families_are_the_frameworks_plus_packet_and_can_for_code_that_names_them_and_unknown_for_a_libc_socket()
    {
        Prediction Of(Type c) => AppAnalyzer.Analyze(AppContext.BaseDirectory, entryAssembly: "Portcullis.Analyzer.Cases", rootMethod: c.FullName + "::Run");

        // The cases name AddressFamily (new Socket(AddressFamily.InterNetwork, ...)): packet and can may be asked for.
        Assert.Equal([1, 2, 10, 16, 17, 29], Of(typeof(PlatformBranches)).SocketFamilies);
        Assert.Null(Of(typeof(OwnSocket)).SocketFamilies);
    }

    [Fact]
    public void Evidence_names_the_call_site_the_framework_path_and_the_native_path()
    {
        var prediction = AppAnalyzer.Analyze(AppContext.BaseDirectory, entryAssembly: "Portcullis.Analyzer.Cases", rootMethod: typeof(ChildProcess).FullName + "::Run");
        var vfork = Assert.Single(prediction.Syscalls, s => s.Name == "vfork");
        var evidence = vfork.Evidence[0];
        Assert.Equal("Portcullis.Analyzer.Cases.ChildProcess::Run", evidence.Site);
        Assert.StartsWith("System.Diagnostics.Process::Start", evidence.Api, StringComparison.Ordinal);
        Assert.Equal("framework", evidence.Group);
        Assert.Matches(@"^Cases\.cs:\d+$", evidence.Source);
        Assert.Contains(evidence.Path, p => p.StartsWith("Interop/Sys::", StringComparison.Ordinal));
        Assert.StartsWith("libSystem.Native.so!SystemNative_ForkAndExecProcess", evidence.Native, StringComparison.Ordinal);
        Assert.EndsWith("→ vfork", evidence.Native, StringComparison.Ordinal);
    }
}
