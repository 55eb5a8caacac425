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

    /// <summary>
    /// PORTCULLIS_DIAGNOSTICS=msbuild (set by the Portcullis.Build targets) prints MSBuild's canonical form,
    /// <c>file(line,col): error PCL1004: message</c>, so that Exec turns each line into a coded build error or warning.
    /// </summary>
    public static string Line(Diagnostic d)
    {
        if (Environment.GetEnvironmentVariable("PORTCULLIS_DIAGNOSTICS") == "msbuild")
        {
            var where = d.Origin.IsKnown ? $"{d.Origin.File}({d.Origin.Line},{d.Origin.Column})" : "portcullis";
            var severity = d.Severity switch { Severity.Error => "error", Severity.Warning => "warning", _ => "message" };
            return d.Severity == Severity.Info ? $"{d.Code}: {d.Message}" : $"{where} : {severity} {d.Code} : {(d.Field is null ? "" : d.Field + ": ")}{d.Message}";
        }
        return d.Severity switch
        {
            Severity.Error => d.ToString(),
            Severity.Warning => "warning " + d,
            _ => "info " + d,
        };
    }
}
