using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Portcullis.Runtime.Hosting;

namespace Portcullis.Runtime.Tests;

/// <summary>
/// Finding 7, the webhook serves anyone: with <see cref="RuntimeOptions.WebhookClientCaFile"/> only a caller whose
/// client certificate chains to that CA (the API server's) gets past TLS; any other pod, with no certificate or
/// one from another CA, never reaches the handler. Real Kestrel, real TLS, on loopback.
/// </summary>
public sealed class WebhookClientAuthenticationTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Only_a_client_certificate_from_the_configured_CA_reaches_the_webhook()
    {
        using var serving = new TestCertificate();
        using var apiServerCa = Authority("CN=kube-apiserver-client-ca");
        using var otherCa = Authority("CN=some-other-ca");
        var caFile = Path.Combine(Path.GetTempPath(), $"portcullis-client-ca-{Guid.NewGuid():N}.crt");
        File.WriteAllText(caFile, apiServerCa.ExportCertificatePem());
        try
        {
            var options = new RuntimeOptions
            {
                Namespace = "portcullis-system",
                HttpsPort = FreePort.Next(),
                HttpPort = FreePort.Next(),
                TlsCertificateFile = serving.CertificateFile,
                TlsKeyFile = serving.KeyFile,
                WebhookClientCaFile = caFile,
                ListenAddress = "127.0.0.1",
            };
            await using var app = RuntimeHost.Build(Role.Webhook, options, new InMemoryClusterApi(), []);
            await app.StartAsync(Cancel);
            await app.Services.GetRequiredService<Readiness>().WhenReadyAsync(Cancel);
            var endpoint = new Uri($"https://127.0.0.1:{options.HttpsPort}{RuntimeHost.WebhookPath}");

            async Task<string> Post(X509Certificate2? client)
            {
                using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert?.Thumbprint == serving.Thumbprint };
                if (client is not null)
                    handler.ClientCertificates.Add(client);
                using var http = new HttpClient(handler);
                try
                {
                    using var response = await http.PostAsync(endpoint, new StringContent("{}"), Cancel);
                    return response.StatusCode.ToString();
                }
                catch (HttpRequestException e)
                {
                    // The handshake was refused; the message says so, so a server that never listened fails the first assertion legibly.
                    return $"refused: {e.HttpRequestError}: {e.InnerException?.Message ?? e.Message}";
                }
            }

            using var apiServer = Client(apiServerCa, "CN=kube-apiserver");
            using var impostor = Client(otherCa, "CN=kube-apiserver");
            Assert.Equal(nameof(HttpStatusCode.BadRequest), await Post(apiServer)); // reached the handler, which wants a real review
            Assert.StartsWith("refused:", await Post(null), StringComparison.Ordinal);
            Assert.StartsWith("refused:", await Post(impostor), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(caFile);
        }
    }

    [Fact]
    public void A_client_CA_file_that_holds_no_certificate_stops_the_start_with_its_name()
    {
        var file = Path.Combine(Path.GetTempPath(), $"portcullis-empty-ca-{Guid.NewGuid():N}.crt");
        File.WriteAllText(file, "not a certificate\n");
        try
        {
            var e = Assert.Throws<FormatException>(() => WebhookClientAuthentication.Load(file));
            Assert.Contains(file, e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static X509Certificate2 Authority(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static X509Certificate2 Client(X509Certificate2 authority, string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var issued = request.Create(authority, new DateTimeOffset(authority.NotBefore), new DateTimeOffset(authority.NotAfter).AddHours(-1), RandomNumberGenerator.GetBytes(8));
        // SslStream sends a client certificate only with its private key, exported once so the platform can use it.
        using var withKey = issued.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }
}
