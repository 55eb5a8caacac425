namespace Portcullis.Profiles.Diagnostics;

/// <summary>
/// A diagnostic as one line of standard error, as every Portcullis process prints it (the CLI and the recorder's
/// launcher alike). With PORTCULLIS_DIAGNOSTICS=json (set by the Portcullis.Build tasks) it is one JSON object
/// behind <see cref="JsonMarker"/>, which the tasks log as the coded MSBuild warning, error or message it is;
/// otherwise <c>PCL1004: message (file:line:col)</c>, with "warning " or "info " before it.
/// </summary>
public static class DiagnosticLine
{
    public const string JsonMarker = "##portcullis:";

    public static string Format(Diagnostic d)
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
