using System.Globalization;
using System.Text;
using Portcullis.Profiles.Seccomp;

namespace Portcullis.Profiles.Generation;

/// <summary>
/// report.md, for a reviewer with a minute: at the top what changed since the previous profile and how many names
/// each part adds; then one line per reason (each recording, each predicted call site, each base) with the names it
/// brings that no earlier part did; then every allowed syscall with all its reasons, the translations, what answers
/// ENOSYS and what was left out.
/// </summary>
public static class GenerationReport
{
    public static string Render(string title, GeneratedSeccomp generated, GeneratedSeccomp? previous, IReadOnlyList<string> notes)
    {
        ArgumentNullException.ThrowIfNull(generated);
        var sb = new StringBuilder();
        var primary = generated.Profile.Architectures.FirstOrDefault(SeccompArch.X86_64);
        var docker = EffectiveView.Of(ReferenceProfiles.DockerDefaultFor(primary), primary).Allowed().Count();
        var allowedHere = generated.Allowed.Keys.Count(n => Syscalls.SyscallTable.ExistsOn(n, primary));
        Line(sb, $"# Seccomp profile of {title}");
        Line(sb, "");
        Line(sb, $"Allows **{allowedHere}** syscalls on {SeccompArchitectures.Wire.Name(primary)} (Docker's default profile: {docker}); every other syscall fails with EPERM, and {generated.Enosys.Count} newer than anything allowed with ENOSYS so that callers fall back.");
        Line(sb, $"Architectures: {string.Join(", ", generated.Profile.Architectures.Select(SeccompArchitectures.Wire.Name))}.");
        Line(sb, "");
        foreach (var note in notes)
            Line(sb, "> " + note);
        if (notes.Count > 0)
            Line(sb, "");

        if (previous is not null)
        {
            var added = generated.Allowed.Keys.Except(previous.Allowed.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var removed = previous.Allowed.Keys.Except(generated.Allowed.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            Line(sb, "## Changes since the previous profile");
            Line(sb, "");
            if (added.Count == 0 && removed.Count == 0)
                Line(sb, "None.");
            foreach (var name in added)
                Line(sb, $"- **added** `{name}`: {Why(generated.Allowed[name])}");
            foreach (var name in removed)
                Line(sb, $"- **removed** `{name}` (was: {Why(previous.Allowed[name])})");
            Line(sb, "");
        }

        Line(sb, "## Why, by reason");
        Line(sb, "");
        Line(sb, $"Parts, each counting the names no earlier part brought: {Parts(generated)}.");
        var runtimeOnly = generated.Allowed.Where(a => a.Value.All(r => r.Kind == SourceKind.ContainerRuntime)).Select(a => a.Key).ToList();
        if (runtimeOnly.Count > 0)
            Line(sb, $"Of these, {runtimeOnly.Count} are there only for the container runtime: a node agent that knows its runtime keeps just the ones that runtime makes after loading the filter.");
        Line(sb, "");
        var first = generated.Allowed.ToDictionary(a => a.Key, a => a.Value[0].Kind, StringComparer.Ordinal);
        foreach (var kind in Enum.GetValues<SourceKind>())
        {
            var lines = generated.Allowed
                .SelectMany(a => a.Value.Where(r => r.Kind == kind).Select(r => (r.Detail, Name: a.Key)))
                .GroupBy(x => x.Detail, StringComparer.Ordinal)
                .Select(g => (Detail: g.Key, New: g.Where(x => first[x.Name] == kind).Select(x => x.Name).ToList(), Also: g.Count(x => first[x.Name] != kind)))
                .OrderByDescending(g => g.New.Count).ThenBy(g => g.Detail, StringComparer.Ordinal)
                .ToList();
            if (lines.Count == 0)
                continue;
            Line(sb, $"### {Heading(kind)}");
            Line(sb, "");
            foreach (var (detail, added, also) in lines)
            {
                var names = added.Count == 0 ? "nothing new" : string.Join(", ", added.Select(n => $"`{n}`"));
                Line(sb, string.Create(CultureInfo.InvariantCulture, $"- {detail}: {names}{(also > 0 ? $" (and {also} already there)" : "")}"));
            }
            Line(sb, "");
        }

        Line(sb, "## Allowed syscalls");
        Line(sb, "");
        Line(sb, "| syscall | why |");
        Line(sb, "|---|---|");
        foreach (var (name, reasons) in generated.Allowed)
            Line(sb, $"| `{name}` | {Why(reasons)} |");
        Line(sb, "");

        if (generated.Translations.Count > 0)
        {
            Line(sb, "## Translated for other architectures");
            Line(sb, "");
            foreach (var t in generated.Translations.OrderBy(t => t.Target).ThenBy(t => t.From, StringComparer.Ordinal))
                Line(sb, $"- `{t.From}` does not exist on {SeccompArchitectures.Wire.Name(t.Target)}: allowed {string.Join(", ", t.To.Select(n => $"`{n}`"))} instead");
            Line(sb, "");
        }
        if (generated.LeftOut.Count > 0)
        {
            Line(sb, "## Left out on purpose");
            Line(sb, "");
            foreach (var name in generated.LeftOut)
                Line(sb, $"- `{name}`");
            Line(sb, "");
        }
        if (generated.Enosys.Count > 0)
        {
            Line(sb, "## Answered with ENOSYS");
            Line(sb, "");
            Line(sb, string.Join(", ", generated.Enosys.Select(n => $"`{n}`")));
        }
        return sb.ToString();
    }

    /// <summary>"recorded 84, predicted +38, ..." on the primary architecture: the summary the CLI and the package print.</summary>
    public static string Parts(GeneratedSeccomp generated)
    {
        ArgumentNullException.ThrowIfNull(generated);
        var primary = generated.Profile.Architectures.FirstOrDefault(SeccompArch.X86_64);
        var counts = generated.Allowed.Where(a => Syscalls.SyscallTable.ExistsOn(a.Key, primary)).GroupBy(a => a.Value[0].Kind).ToDictionary(g => g.Key, g => g.Count());
        return string.Join(", ", Enum.GetValues<SourceKind>().Where(counts.ContainsKey)
            .Select((k, i) => string.Create(CultureInfo.InvariantCulture, $"{Short(k)} {(i == 0 ? "" : "+")}{counts[k]}")));
    }

    private static string Short(SourceKind kind) => kind switch
    {
        SourceKind.Recorded => "recorded",
        SourceKind.Predicted => "predicted",
        SourceKind.DotnetRuntime => ".NET runtime base",
        SourceKind.ContainerRuntime => "container runtime",
        SourceKind.Vdso => "vDSO",
        _ => "allowed by you",
    };

    private static string Heading(SourceKind kind) => kind switch
    {
        SourceKind.Recorded => "Recorded, by test run",
        SourceKind.Predicted => "Predicted, by call site and path",
        SourceKind.DotnetRuntime => ".NET runtime base",
        SourceKind.ContainerRuntime => "Container runtime base",
        SourceKind.Vdso => "vDSO fallback",
        _ => "Allowed by you",
    };

    private static string Why(IReadOnlyList<SyscallReason> reasons) =>
        string.Join("; ", reasons.GroupBy(r => r.Kind).Select(g => g.Key switch
        {
            SourceKind.Recorded => "recorded in " + string.Join(", ", g.Select(r => r.Detail)),
            SourceKind.Predicted => "predicted: " + string.Join(", ", g.Select(r => r.Detail).Take(3)) + (g.Count() > 3 ? string.Create(CultureInfo.InvariantCulture, $" (+{g.Count() - 3} more)") : ""),
            SourceKind.DotnetRuntime => ".NET runtime base",
            SourceKind.ContainerRuntime => "container runtime base (" + g.First().Detail + ")",
            SourceKind.Vdso => "vDSO fallback",
            _ => "allowed by " + string.Join(", ", g.Select(r => r.Detail)),
        }));

    private static void Line(StringBuilder sb, string text) => sb.Append(text).Append('\n');
}
