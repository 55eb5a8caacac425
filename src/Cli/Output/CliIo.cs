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

    public static string Line(Diagnostic d) => DiagnosticLine.Format(d);
}
