using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace Portcullis.Testing;

/// <summary>
/// A token service for docker-registry's `auth: token` mode, on loopback: checks Basic credentials and
/// issues ES256 JWTs (x5c header with a self-signed certificate the registry trusts) granting the scope
/// asked for. Counts the tokens it issued.
/// </summary>
public sealed class TokenIssuer : IDisposable
{
    public const string Service = "portcullis-registry";
    public const string IssuerName = "portcullis-test-issuer";

    private readonly HttpListener _listener = new();
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly X509Certificate2 _certificate;
    private readonly Task _loop;

    public TokenIssuer(string user, string password)
    {
        User = user;
        Password = password;
        _certificate = new CertificateRequest("CN=" + IssuerName, _key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var port = Testing.FreePort.Next();
        Realm = $"http://127.0.0.1:{port}/token";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public string User { get; }
    public string Password { get; }
    public string Realm { get; }
    public int Issued { get; private set; }
    public string CertificatePem => _certificate.ExportCertificatePem();

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            using var response = context.Response;
            var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}"));
            if (context.Request.Headers["Authorization"] != expected)
            {
                response.StatusCode = 401;
                continue;
            }
            var scope = context.Request.QueryString["scope"];
            var body = Encoding.UTF8.GetBytes(new JsonObject { ["token"] = Jwt(scope), ["expires_in"] = 300 }.ToJsonString());
            response.ContentType = "application/json";
            await response.OutputStream.WriteAsync(body);
            Issued++;
        }
    }

    private string Jwt(string? scope)
    {
        var access = new JsonArray();
        if (scope is not null && scope.Split(':') is ["repository", var name, var actions])
            access.Add(new JsonObject { ["type"] = "repository", ["name"] = name, ["actions"] = new JsonArray(actions.Split(',').Select(a => (JsonNode)a!).ToArray()) });
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new JsonObject { ["typ"] = "JWT", ["alg"] = "ES256", ["x5c"] = new JsonArray(Convert.ToBase64String(_certificate.RawData)) };
        var claims = new JsonObject
        {
            ["iss"] = IssuerName, ["sub"] = User, ["aud"] = Service, ["exp"] = now + 300, ["nbf"] = now - 10, ["iat"] = now,
            ["jti"] = Guid.NewGuid().ToString("N"), ["access"] = access,
        };
        var signingInput = Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return signingInput + "." + Base64Url(signature);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');


    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
        _certificate.Dispose();
        _key.Dispose();
    }
}
