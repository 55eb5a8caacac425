using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Portcullis.Runtime.Tests;

/// <summary>A self-signed serving certificate for 127.0.0.1, written as PEM files the way an out-of-cluster webhook is given one.</summary>
public sealed class TestCertificate : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("portcullis-tls-").FullName;

    public TestCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        Thumbprint = cert.Thumbprint;
        File.WriteAllText(CertificateFile, cert.ExportCertificatePem());
        File.WriteAllText(KeyFile, key.ExportPkcs8PrivateKeyPem());
    }

    public string CertificateFile => Path.Combine(_dir, "tls.crt");
    public string KeyFile => Path.Combine(_dir, "tls.key");
    public string Thumbprint { get; }

    /// <summary>A client that trusts this certificate and nothing else, as the API server trusts the caBundle.</summary>
    public HttpClient Client() => new(new HttpClientHandler
    {
        ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert?.Thumbprint == Thumbprint,
    });

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
