using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s.Models;
using Portcullis.Runtime.Hosting;
using Portcullis.Runtime.Kubernetes;

namespace Portcullis.Runtime.Controller;

/// <summary>
/// Webhook TLS without cert-manager: a CA and a serving certificate for the webhook Service, kept in a
/// Secret (ca.crt, tls.crt, tls.key), renewed a month before they expire, and the CA put into every
/// webhook of the MutatingWebhookConfiguration as its caBundle. Out of cluster (a certificate file given),
/// that certificate's CA goes into the caBundle instead, and the webhooks point at <see cref="RuntimeOptions.WebhookUrl"/>.
/// </summary>
public sealed class WebhookCertificates(IClusterApi api, RuntimeOptions options, TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(365);
    private static readonly TimeSpan RenewBefore = TimeSpan.FromDays(30);

    public IReadOnlyList<string> DnsNames =>
    [
        options.ServiceName,
        $"{options.ServiceName}.{options.Namespace}",
        $"{options.ServiceName}.{options.Namespace}.svc",
        $"{options.ServiceName}.{options.Namespace}.svc.cluster.local",
    ];

    /// <summary>Makes sure the Secret holds a valid pair and the webhook configuration trusts its CA; true when it changed anything.</summary>
    public async Task<bool> EnsureAsync(CancellationToken cancel)
    {
        if (options.TlsCertificateFile is { } certificateFile)
        {
            var ca = await File.ReadAllBytesAsync(options.WebhookCaFile ?? certificateFile, cancel).ConfigureAwait(false);
            return await SyncConfigurationAsync(ca, cancel).ConfigureAwait(false);
        }
        var changed = false;
        var secret = await api.GetAsync<V1Secret>(options.Namespace, options.TlsSecret, cancel).ConfigureAwait(false);
        if (secret is null || NeedsRenewal(secret))
        {
            var (ca, cert, key) = Issue();
            var data = new Dictionary<string, byte[]>
            {
                ["ca.crt"] = Encoding.ASCII.GetBytes(ca),
                ["tls.crt"] = Encoding.ASCII.GetBytes(cert),
                ["tls.key"] = Encoding.ASCII.GetBytes(key),
            };
            if (secret is null)
            {
                secret = await api.CreateAsync(new V1Secret
                {
                    Metadata = new V1ObjectMeta { Name = options.TlsSecret, NamespaceProperty = options.Namespace },
                    Type = "kubernetes.io/tls",
                    Data = data,
                }, cancel).ConfigureAwait(false);
            }
            else
            {
                secret.Data = data;
                secret = await api.ReplaceAsync(secret, cancel).ConfigureAwait(false);
            }
            changed = true;
        }

        return await SyncConfigurationAsync(secret.Data["ca.crt"], cancel).ConfigureAwait(false) || changed;
    }

    private async Task<bool> SyncConfigurationAsync(byte[] bundle, CancellationToken cancel)
    {
        var config = await api.GetAsync<V1MutatingWebhookConfiguration>(null, options.WebhookConfiguration, cancel).ConfigureAwait(false);
        if (config?.Webhooks is not { Count: > 0 } hooks)
            return false;
        var patch = new List<PatchOperation>();
        for (var i = 0; i < hooks.Count; i++)
        {
            var client = hooks[i].ClientConfig;
            if (options.WebhookUrl is { } url && (client?.Url != url || client.Service is not null))
            {
                patch.Add(PatchOperation.Add($"/webhooks/{i}/clientConfig", new System.Text.Json.Nodes.JsonObject { ["url"] = url, ["caBundle"] = Convert.ToBase64String(bundle) }));
                continue;
            }
            if (client?.CaBundle is not { } existing || !existing.AsSpan().SequenceEqual(bundle))
                patch.Add(PatchOperation.Add($"/webhooks/{i}/clientConfig/caBundle", Convert.ToBase64String(bundle)));
        }
        if (patch.Count == 0)
            return false;
        await api.PatchAsync<V1MutatingWebhookConfiguration>(null, options.WebhookConfiguration, patch, cancel).ConfigureAwait(false);
        return true;
    }

    private bool NeedsRenewal(V1Secret secret)
    {
        if (secret.Data is null || !secret.Data.TryGetValue("tls.crt", out var pem) || !secret.Data.ContainsKey("tls.key") || !secret.Data.ContainsKey("ca.crt"))
            return true;
        try
        {
            using var cert = X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(pem));
            var names = cert.Extensions.OfType<X509SubjectAlternativeNameExtension>().SelectMany(e => e.EnumerateDnsNames()).ToHashSet(StringComparer.Ordinal);
            return cert.NotAfter.ToUniversalTime() - time.GetUtcNow().UtcDateTime < RenewBefore || !DnsNames.All(names.Contains);
        }
        catch (CryptographicException)
        {
            return true;
        }
    }

    private (string Ca, string Cert, string Key) Issue()
    {
        var now = time.GetUtcNow();
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=portcullis-webhook-ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now + Lifetime + TimeSpan.FromDays(1));

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={options.ServiceName}.{options.Namespace}.svc", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in DnsNames)
            san.AddDnsName(name);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var cert = request.Create(ca, now.AddMinutes(-5), now + Lifetime, serial);
        return (ca.ExportCertificatePem(), cert.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }
}
