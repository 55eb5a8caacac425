namespace Portcullis.Runtime.Registry;

/// <summary>Registry names as pull secrets write them ("https://index.docker.io/v1/", "host:5000/v2/") reduced to the host[:port] images use.</summary>
public static class RegistryHost
{
    public static string Normalize(string key)
    {
        var host = key.Trim();
        var scheme = host.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
            host = host[(scheme + 3)..];
        var slash = host.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
            host = host[..slash];
        host = host.ToLowerInvariant();
        return host is "index.docker.io" or "registry-1.docker.io" or "registry.hub.docker.com" ? "docker.io" : host;
    }
}
