using System.Net.Http.Headers;

namespace Portcullis.Oci.Transport;

/// <summary>A WWW-Authenticate challenge: Basic, or Bearer with realm, service and scope.</summary>
internal sealed record AuthChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    public static AuthChallenge? From(HttpResponseMessage response)
    {
        foreach (var header in response.Headers.WwwAuthenticate)
        {
            var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (header.Parameter is { } p)
            {
                foreach (var (key, value) in Split(p))
                    parameters[key] = value;
            }
            if (header.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) || header.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
                return new AuthChallenge(header.Scheme, parameters);
        }
        return null;
    }

    public bool IsBearer => Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase);

    // realm="https://auth",service="registry",scope="repository:a/b:pull,push" (commas inside quotes belong to the value)
    private static IEnumerable<(string, string)> Split(string text)
    {
        var i = 0;
        while (i < text.Length)
        {
            var eq = text.IndexOf('=', i);
            if (eq < 0)
                yield break;
            var key = text[i..eq].Trim(' ', ',');
            i = eq + 1;
            string value;
            if (i < text.Length && text[i] == '"')
            {
                var close = text.IndexOf('"', i + 1);
                close = close < 0 ? text.Length : close;
                value = text[(i + 1)..close];
                i = close + 1;
            }
            else
            {
                var comma = text.IndexOf(',', i);
                comma = comma < 0 ? text.Length : comma;
                value = text[i..comma].Trim();
                i = comma;
            }
            yield return (key, value);
            while (i < text.Length && text[i] is ',' or ' ')
                i++;
        }
    }

    public static AuthenticationHeaderValue Basic(RegistryCredentials c) =>
        new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{c.Username}:{c.Password}")));
}
