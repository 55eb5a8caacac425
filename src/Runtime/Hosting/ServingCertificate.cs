using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s.Models;
using Portcullis.Runtime.Kubernetes;

namespace Portcullis.Runtime.Hosting;

/// <summary>
/// The certificate the webhook serves, reloaded without a restart: from the controller's Secret in
/// cluster, or from PEM files out of cluster. Kestrel asks for it on every TLS handshake.
/// </summary>
public sealed class ServingCertificate(IClusterApi api, RuntimeOptions options)
{
    private X509Certificate2? _current;
    private string? _currentPem;

    public X509Certificate2? Current => _current;

    public async Task RefreshAsync(CancellationToken cancel)
    {
        string certPem, keyPem;
        if (options.TlsCertificateFile is { } certFile && options.TlsKeyFile is { } keyFile)
        {
            certPem = await File.ReadAllTextAsync(certFile, cancel).ConfigureAwait(false);
            keyPem = await File.ReadAllTextAsync(keyFile, cancel).ConfigureAwait(false);
        }
        else
        {
            var secret = await api.GetAsync<V1Secret>(options.Namespace, options.TlsSecret, cancel).ConfigureAwait(false);
            if (secret?.Data is null || !secret.Data.TryGetValue("tls.crt", out var c) || !secret.Data.TryGetValue("tls.key", out var k))
                return;
            certPem = Encoding.ASCII.GetString(c);
            keyPem = Encoding.ASCII.GetString(k);
        }
        if (certPem + keyPem == _currentPem)
            return;
        using var loaded = X509Certificate2.CreateFromPem(certPem, keyPem);
        // Kestrel needs a certificate whose key it can use for the handshake; a PKCS#12 round trip gives one.
        _current = X509CertificateLoader.LoadPkcs12(loaded.Export(X509ContentType.Pkcs12), null);
        _currentPem = certPem + keyPem;
    }
}
