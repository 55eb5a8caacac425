using System.Globalization;
using System.Text;
using Portcullis.Profiles.Seccomp;

namespace Portcullis.Profiles.Generation;

/// <summary>
/// report.md: every allowed syscall with why, the count next to Docker's default, the translations, what
/// answers ENOSYS and what was left out, and what changed since the previous profile, so that a reviewer
/// sees a new kernel surface in the pull request that brings it.
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
