using System.Text.Json;

namespace Portcullis.Build.Tasks;

/// <summary>One diagnostic as the portcullis program prints it for the tasks: code, severity, message, where.</summary>
public sealed record ToolDiagnostic(string Code, string Severity, string Message, string? Field, string? File, int Line, int Column)
{
    public static ToolDiagnostic? Parse(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var o = doc.RootElement;
            if (o.ValueKind != JsonValueKind.Object || !o.TryGetProperty("code", out var code) || !o.TryGetProperty("severity", out var severity) || !o.TryGetProperty("message", out var message))
                return null;
            return new ToolDiagnostic(code.GetString() ?? "", severity.GetString() ?? "", message.GetString() ?? "",
                Text(o, "field"), Text(o, "file"), Number(o, "line"), Number(o, "column"));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static int Number(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : 0;
}
