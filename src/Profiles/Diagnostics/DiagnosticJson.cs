using System.Text.Json.Nodes;

namespace Portcullis.Profiles.Diagnostics;

/// <summary>A diagnostic as a JSON object: for --json outputs and for the Portcullis.Build tasks.</summary>
public static class DiagnosticJson
{
    public static JsonObject From(Diagnostic d)
    {
        var o = new JsonObject
        {
            ["code"] = d.Code,
            ["severity"] = d.Severity.ToString().ToLowerInvariant(),
            ["message"] = d.Message,
        };
        if (d.Field is not null)
            o["field"] = d.Field;
        if (d.Origin.IsKnown)
        {
            o["file"] = d.Origin.File;
            if (d.Origin.Line > 0)
            {
                o["line"] = d.Origin.Line;
                o["column"] = d.Origin.Column;
            }
        }
        return o;
    }
}
