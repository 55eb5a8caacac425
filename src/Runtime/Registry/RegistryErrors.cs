using System.Text.RegularExpressions;
using Portcullis.Oci;

namespace Portcullis.Runtime.Registry;

/// <summary>
/// What a failed registry call may say in a pod's warnings and Events: where and the HTTP status, with the
/// registry's error code only when it looks like one, never the text of its error body (a registry a pod
/// names can write anything there).
/// </summary>
public static partial class RegistryErrors
{
    public static string Describe(Exception e)
    {
        if (e is not OciException { Status: { } status } oci)
            return e.Message;
        var http = $"HTTP {(int)status}";
        var at = oci.Message.IndexOf(http, StringComparison.Ordinal);
        var head = at < 0 ? http : oci.Message[..(at + http.Length)];
        return oci.RegistryCode is { } code && CodePattern().IsMatch(code) ? $"{head} {code}" : head;
    }

    [GeneratedRegex(@"\A[A-Z][A-Z_]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex CodePattern();
}
