using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Portcullis.Runtime.Hosting;

/// <summary>
/// Admissions only from the API server: a client certificate chaining to the configured CA, nothing else
/// (not the machine's trust store: any public CA would do there), checked during the TLS handshake so a
/// caller without one never reaches the handler.
/// </summary>
public static class WebhookClientAuthentication
{
    /// <summary>The CA bundle, read when the host is built so a bad file stops the start with its name, not the first handshake.</summary>
    public static X509Certificate2Collection Load(string caFile)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(caFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new FormatException($"WebhookClientCaFile: {caFile}: {e.Message}", e);
        }
        if (roots.Count == 0)
            throw new FormatException($"WebhookClientCaFile: {caFile} holds no PEM certificate");
        return roots;
    }

    public static void Require(HttpsConnectionAdapterOptions https, X509Certificate2Collection roots)
    {
        https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
        https.ClientCertificateValidation = (certificate, _, _) =>
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(roots);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.2")); // clientAuth
            return chain.Build(certificate);
        };
    }
}
