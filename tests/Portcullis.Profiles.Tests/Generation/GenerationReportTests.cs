using Portcullis.Profiles.Diagnostics;
using Portcullis.Profiles.Generation;
using Portcullis.Profiles.Recordings;
using Portcullis.Profiles.Seccomp;

namespace Portcullis.Profiles.Tests.Generation;

public sealed class GenerationReportTests
{
    private static readonly HashSet<Backend> Ptrace = [Backend.Ptrace];

    private static GeneratedSeccomp Generated() => SeccompGenerator.Generate(new GenerationRequest
    {
        Recordings = [new LabeledRecording("Shop.Tests", new Recording { Syscalls = [new SyscallObservation(SeccompArch.X86_64, 0, "read", 3, Ptrace), new SyscallObservation(SeccompArch.X86_64, 1, "write", 1, Ptrace)] })],
        Evidence =
        [
            new SyscallEvidence("shutdown", SourceKind.Predicted, "Program::<Main>$ (Program.cs:19) → WebApplication::Run"),
            new SyscallEvidence("bind", SourceKind.Predicted, "Program::<Main>$ (Program.cs:19) → WebApplication::Run"),
            new SyscallEvidence("read", SourceKind.Predicted, "Program::<Main>$ (Program.cs:19) → WebApplication::Run"),
            new SyscallEvidence("unlinkat", SourceKind.Predicted, "Cleaner::Run (Cleaner.cs:7) → File::Delete"),
            .. DotnetRuntimeBase.Evidence,
        ],
        Targets = [SeccompArch.X86_64],
    }, new DiagnosticBag());

    [Fact]
    public void Each_reason_is_one_line_with_the_names_it_brings_and_the_parts_are_counted_at_the_top()
    {
        var generated = Generated();
        var report = GenerationReport.Render("Shop", generated, null, []);
        var lines = report.Split('\n');

        Assert.Contains("- Shop.Tests: `read`, `write`", lines);
        Assert.Contains("- Program::<Main>$ (Program.cs:19) → WebApplication::Run: `bind`, `shutdown` (and 1 already there)", lines);
        Assert.Contains("- Cleaner::Run (Cleaner.cs:7) → File::Delete: `unlinkat`", lines);
        Assert.Single(lines, l => l.StartsWith("- " + DotnetRuntimeBase.Measured + ":", StringComparison.Ordinal));
        Assert.Single(lines, l => l.StartsWith("- " + ContainerRuntimeBase.Versions + ":", StringComparison.Ordinal));
        var parts = GenerationReport.Parts(generated);
        Assert.StartsWith("recorded 2, predicted +3, .NET runtime base +", parts, StringComparison.Ordinal);
        Assert.Contains(parts, report, StringComparison.Ordinal);
        Assert.True(report.IndexOf("## Why, by reason", StringComparison.Ordinal) < report.IndexOf("## Allowed syscalls", StringComparison.Ordinal));
        Assert.Contains("| `shutdown` | predicted: Program::<Main>$ (Program.cs:19) → WebApplication::Run |", lines);
    }

    [Fact]
    public void What_changed_since_the_previous_publish_comes_before_the_reasons()
    {
        var generated = Generated();
        var report = GenerationReport.Render("Shop", generated, generated with { Allowed = generated.Allowed.Where(a => a.Key != "unlinkat").ToDictionary() }, []);

        Assert.Contains("- **added** `unlinkat`: predicted: Cleaner::Run (Cleaner.cs:7) → File::Delete", report, StringComparison.Ordinal);
        Assert.True(report.IndexOf("## Changes since the previous profile", StringComparison.Ordinal) < report.IndexOf("## Why, by reason", StringComparison.Ordinal));
    }
}
