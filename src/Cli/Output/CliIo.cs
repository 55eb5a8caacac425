using System.Text;
using Portcullis.Profiles.Diagnostics;

namespace Portcullis.Cli.Output;

/// <summary>Where a command writes: its result to stdout or an -o file, its diagnostics one per line to stderr.</summary>
internal sealed class CliIo(TextWriter stdout, TextWriter stderr)
{
    public TextWriter Out { get; } = stdout;
    public TextWriter Err { get; } = stderr;

    public void Emit(string content, string? outputPath)
    {
        if (outputPath is null or "-")
            Out.Write(content);
        else
            AtomicFile.Write(outputPath, Encoding.UTF8.GetBytes(content));
    }

    public void Report(IEnumerable<Diagnostic> diagnostics, bool includeInfo = true)
    {
        foreach (var d in diagnostics)
        {
            if (includeInfo || d.Severity != Severity.Info)
                Err.WriteLine(Line(d));
        }
    }

    /// <summary>The marker that starts a diagnostic printed for the Portcullis.Build tasks (PORTCULLIS_DIAGNOSTICS=json).</summary>
    public const string JsonMarker = "##portcullis:";

    /// <summary>
    /// PORTCULLIS_DIAGNOSTICS=json (set by the Portcullis.Build tasks) prints each diagnostic as one JSON object behind
    /// <see cref="JsonMarker"/>, which the task logs as the coded MSBuild warning, error or message it is; anything else
    /// the program or a recorded command prints stays plain text.
    /// </summary>
    public static string Line(Diagnostic d)
    {
        if (Environment.GetEnvironmentVariable("PORTCULLIS_DIAGNOSTICS") == "json")
            return JsonMarker + DiagnosticJson.From(d).ToJsonString();
        return d.Severity switch
        {
            Severity.Error => d.ToString(),
            Severity.Warning => "warning " + d,
            _ => "info " + d,
        };
    }
}
