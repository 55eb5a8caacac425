using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s.Models;
using Portcullis.Runtime.Hosting;
using Portcullis.Runtime.Kubernetes;

namespace Portcullis.Runtime.Controller;

/// <summary>
/// Webhook TLS without cert-manager: a CA and a serving certificate for the webhook Service, kept in a
/// Secret (ca.crt, ca.key, tls.crt, tls.key), and the CA put into every webhook of the
/// MutatingWebhookConfiguration as its caBundle. The serving certificate is renewed a month before it
/// expires under the same CA, so the caBundle does not change and no handshake fails meanwhile; the CA (five
/// years) is rotated a year before its own end, with the old one kept in the bundle beside the new one until
/// it expires. Out of cluster (a certificate file given), that certificate's CA goes into the caBundle
/// instead, and the webhooks point at <see cref="RuntimeOptions.WebhookUrl"/>.
/// </summary>
public sealed class WebhookCertificates(IClusterApi api, RuntimeOptions options, TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(365);
    private static readonly TimeSpan RenewBefore = TimeSpan.FromDays(30);
    private static readonly TimeSpan CaLifetime = TimeSpan.FromDays(5 * 365);
    private static readonly TimeSpan CaRenewBefore = Lifetime;

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
            var given = await File.ReadAllBytesAsync(options.WebhookCaFile ?? certificateFile, cancel).ConfigureAwait(false);
            return await SyncConfigurationAsync(given, cancel).ConfigureAwait(false);
        }
        var secret = await api.GetAsync<V1Secret>(options.Namespace, options.TlsSecret, cancel).ConfigureAwait(false);
        if (secret is not null && !NeedsRenewal(secret))
            return await SyncConfigurationAsync(secret.Data["ca.crt"], cancel).ConfigureAwait(false);

        var now = time.GetUtcNow();
        using var kept = KeptCa(secret, now);
        using var fresh = kept is null ? NewCa(now) : null;
        var ca = kept ?? fresh!;
        // The bundle trusts the CA that signs from now on and, while it lasts, the one that signed until now.
        var bundle = ca.ExportCertificatePem();
        if (fresh is not null && OldCas(secret, now) is { Length: > 0 } old)
            bundle += "\n" + old;
        var (cert, key) = Issue(ca, now);
        var data = new Dictionary<string, byte[]>
        {
            ["ca.crt"] = Encoding.ASCII.GetBytes(bundle),
            ["ca.key"] = Encoding.ASCII.GetBytes(ca.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem()),
            ["tls.crt"] = Encoding.ASCII.GetBytes(cert),
            ["tls.key"] = Encoding.ASCII.GetBytes(key),
        };
        // The API server learns a new CA before the webhook serves a certificate it signed.
        await SyncConfigurationAsync(data["ca.crt"], cancel).ConfigureAwait(false);
        if (secret is null)
        {
            await api.CreateAsync(new V1Secret
            {
                Metadata = new V1ObjectMeta { Name = options.TlsSecret, NamespaceProperty = options.Namespace },
                Type = "kubernetes.io/tls",
                Data = data,
            }, cancel).ConfigureAwait(false);
        }
        else
        {
            secret.Data = data;
            await api.ReplaceAsync(secret, cancel).ConfigureAwait(false);
        }
        return true;
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
            // Only the fields this controller owns: url (and no service beside it) out of cluster, and caBundle.
            if (client is null)
                patch.Add(PatchOperation.Add($"/webhooks/{i}/clientConfig", new System.Text.Json.Nodes.JsonObject()));
            if (options.WebhookUrl is { } url && client?.Url != url)
                patch.Add(PatchOperation.Add($"/webhooks/{i}/clientConfig/url", url));
            if (options.WebhookUrl is not null && client?.Service is not null)
                patch.Add(PatchOperation.Remove($"/webhooks/{i}/clientConfig/service"));
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
            using var ca = KeptCa(secret, time.GetUtcNow());
            return ca is null || cert.Issuer != ca.Subject
                || cert.NotAfter.ToUniversalTime() - time.GetUtcNow().UtcDateTime < RenewBefore || !DnsNames.All(names.Contains);
        }
        catch (CryptographicException)
        {
            return true;
        }
    }

    /// <summary>The signing CA in the Secret (the first of ca.crt, with ca.key), if it has more than a year left.</summary>
    private static X509Certificate2? KeptCa(V1Secret? secret, DateTimeOffset now)
    {
        if (secret?.Data is null || !secret.Data.TryGetValue("ca.crt", out var crt) || !secret.Data.TryGetValue("ca.key", out var key))
            return null;
        try
        {
            var ca = X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(crt), Encoding.ASCII.GetString(key));
            if (ca.NotAfter.ToUniversalTime() - now.UtcDateTime >= CaRenewBefore)
                return ca;
            ca.Dispose();
        }
        catch (CryptographicException)
        {
        }
        return null;
    }

    /// <summary>The CAs of the Secret that still have time left, as PEM: the bundle keeps them while certificates they signed may be served.</summary>
    private static string OldCas(V1Secret? secret, DateTimeOffset now)
    {
        if (secret?.Data is null || !secret.Data.TryGetValue("ca.crt", out var crt))
            return "";
        var all = new X509Certificate2Collection();
        try
        {
            all.ImportFromPem(Encoding.ASCII.GetString(crt));
        }
        catch (CryptographicException)
        {
            return "";
        }
        var pem = string.Join("\n", all.Where(c => c.NotAfter.ToUniversalTime() > now.UtcDateTime).Select(c => c.ExportCertificatePem()));
        foreach (var c in all)
            c.Dispose();
        return pem;
    }

    private static X509Certificate2 NewCa(DateTimeOffset now)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest($"CN=portcullis-webhook-ca-{now.UtcDateTime:yyyyMMddHHmmss}", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return caRequest.CreateSelfSigned(now.AddMinutes(-5), now + CaLifetime);
    }

    private (string Cert, string Key) Issue(X509Certificate2 ca, DateTimeOffset now)
    {
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
        var notAfter = now + Lifetime < ca.NotAfter.ToUniversalTime() ? now + Lifetime : new DateTimeOffset(ca.NotAfter.ToUniversalTime());
        using var cert = request.Create(ca, now.AddMinutes(-5), notAfter, serial);
        return (cert.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }
}
