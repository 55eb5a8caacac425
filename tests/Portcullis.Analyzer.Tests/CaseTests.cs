using System.Reflection;
using Portcullis.Analyzer.Cases;

namespace Portcullis.Analyzer.Tests;

/// <summary>
/// Runs the analyzer on each case of Portcullis.Analyzer.Cases from its Run method and checks what the case
/// declares: predicted ⊇ expected syscalls, the expected groups found, forbidden groups (used only by dead
/// code or by types never instantiated) not found. Extras are allowed and printed.
/// </summary>
public sealed class CaseTests
{
    public static TheoryData<string> Cases => [.. typeof(ExpectAttribute).Assembly.GetTypes()
        .Where(t => t.GetCustomAttributes().Any(a => a is ExpectAttribute or ExpectGroupAttribute or ForbidGroupAttribute))
        .Select(t => t.FullName!).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_case_gets_what_it_declares(string caseType)
    {
        var type = typeof(ExpectAttribute).Assembly.GetType(caseType)!;
        var prediction = AppAnalyzer.Analyze(AppContext.BaseDirectory, entryAssembly: "Portcullis.Analyzer.Cases", rootMethod: caseType + "::Run");
        var predicted = prediction.Syscalls.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var expected in type.GetCustomAttributes<ExpectAttribute>().SelectMany(a => a.Syscalls))
            Assert.True(predicted.Contains(expected), $"{caseType}: {expected} not predicted; groups found: {string.Join(", ", prediction.Groups)}");
        foreach (var group in type.GetCustomAttributes<ExpectGroupAttribute>())
            Assert.Contains(group.Group, prediction.Groups);
        foreach (var group in type.GetCustomAttributes<ForbidGroupAttribute>())
            Assert.DoesNotContain(group.Group, prediction.Groups);
        TestContext.Current.SendDiagnosticMessage($"{caseType}: groups {string.Join(", ", prediction.Groups)}; {predicted.Count} syscalls");
    }

    [Fact]
    public void Evidence_names_the_call_site_and_its_source_line()
    {
        var prediction = AppAnalyzer.Analyze(AppContext.BaseDirectory, entryAssembly: "Portcullis.Analyzer.Cases", rootMethod: typeof(ChildProcess).FullName + "::Run");
        var vfork = Assert.Single(prediction.Syscalls, s => s.Name == "vfork");
        var evidence = vfork.Evidence[0];
        Assert.Equal("Portcullis.Analyzer.Cases.ChildProcess::Run", evidence.Site);
        Assert.Equal("System.Diagnostics.Process::Start", evidence.Api);
        Assert.Equal("process", evidence.Group);
        Assert.Matches(@"^Cases\.cs:\d+$", evidence.Source);
    }
}
