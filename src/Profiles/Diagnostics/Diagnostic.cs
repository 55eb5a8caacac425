using System.Globalization;

namespace Portcullis.Profiles.Diagnostics;

/// <summary>One finding or error. <see cref="Field"/> is a JSON-path-like name of the offending field, e.g. syscalls[3].action.</summary>
public sealed record Diagnostic(DiagnosticId Id, Severity Severity, string Message, Origin Origin = default, string? Field = null)
{
    /// <summary>The message on one line: user text embedded in it has its control characters escaped.</summary>
    public string Message { get; init; } = OneLine(Message);

    public string Code => string.Create(CultureInfo.InvariantCulture, $"PCL{(int)Id:D4}");

    /// <summary>The one-line form users see: <c>PCL1004: message (file:line:col)</c>.</summary>
    public override string ToString()
    {
        var where = Origin.IsKnown ? $" ({Origin})" : "";
        var field = Field is null ? "" : $"{Field}: ";
        return $"{Code}: {field}{Message}{where}";
    }

    private static string OneLine(string text)
    {
        if (!text.Any(char.IsControl))
            return text;
        var sb = new System.Text.StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            _ = c switch
            {
                '\n' => sb.Append("\\n"),
                '\r' => sb.Append("\\r"),
                '\t' => sb.Append("\\t"),
                _ when char.IsControl(c) => sb.Append(string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}")),
                _ => sb.Append(c),
            };
        }
        return sb.ToString();
    }

    public static Diagnostic Error(DiagnosticId id, string message, Origin origin = default, string? field = null) =>
        new(id, Severity.Error, message, origin, field);

    public static Diagnostic Warning(DiagnosticId id, string message, Origin origin = default, string? field = null) =>
        new(id, Severity.Warning, message, origin, field);

    public static Diagnostic Info(DiagnosticId id, string message, Origin origin = default, string? field = null) =>
        new(id, Severity.Info, message, origin, field);
}
