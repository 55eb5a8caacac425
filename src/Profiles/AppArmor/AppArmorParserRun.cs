using System.Globalization;

namespace Portcullis.Profiles.AppArmor;

/// <summary>How one apparmor_parser run ended: its exit code, whether it was killed at its time limit, and the first bytes it printed.</summary>
/// <param name="Output">At most <see cref="AppArmorParserProcess.OutputLimit"/> bytes of standard output and error, as UTF-8.</param>
/// <param name="Seen">How many bytes it printed in all.</param>
public sealed record AppArmorParserRun(int ExitCode, bool TimedOut, string Output, long Seen, TimeSpan Timeout)
{
    public bool Succeeded => !TimedOut && ExitCode == 0;

    /// <summary>One line for a status or a diagnostic: the parser's findings without its notes about the cache (the kernel here may have no AppArmor).</summary>
    public string Describe()
    {
        var lines = Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith("Cache read/write disabled", StringComparison.Ordinal) && !l.StartsWith("Warning: unable to find a suitable fs", StringComparison.Ordinal));
        var said = string.Join(" / ", lines);
        var cut = Seen > AppArmorParserProcess.OutputLimit ? string.Create(CultureInfo.InvariantCulture, $" … ({Seen} bytes in all)") : "";
        var why = TimedOut ? string.Create(CultureInfo.InvariantCulture, $"did not finish within {Timeout.TotalSeconds:0} s and was killed")
            : said.Length == 0 ? string.Create(CultureInfo.InvariantCulture, $"exit code {ExitCode}") : "";
        return "apparmor_parser: " + string.Join(": ", new[] { why, said + (said.Length > 0 ? cut : "") }.Where(p => p.Length > 0));
    }
}
