namespace Portcullis.Oci.Transport;

/// <summary>Scheme, host and port: what credentials are bound to. A request elsewhere carries none.</summary>
internal static class RegistryOrigin
{
    public static bool Same(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port;

    public static bool IsDowngrade(Uri from, Uri to) => from.Scheme == Uri.UriSchemeHttps && to.Scheme != Uri.UriSchemeHttps;

    /// <summary>Loopback, private (RFC 1918, ULA), link-local or unspecified: a token realm there is not the registry's to name unless the registry is there too.</summary>
    public static bool IsInternal(Uri url)
    {
        if (url.IsLoopback)
            return true;
        if (!System.Net.IPAddress.TryParse(url.IdnHost.Trim('[', ']'), out var ip))
            return false;
        if (ip.IsIPv4MappedToIPv6)
            ip = ip.MapToIPv4();
        if (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
            return ip.IsIPv6LinkLocal || ip.IsIPv6SiteLocal || ip.IsIPv6UniqueLocal || ip.Equals(System.Net.IPAddress.IPv6Any);
        var b = ip.GetAddressBytes();
        return b[0] is 10 or 0 || (b[0] == 172 && b[1] is >= 16 and <= 31) || (b[0] == 192 && b[1] == 168) || (b[0] == 169 && b[1] == 254) || (b[0] == 100 && b[1] is >= 64 and <= 127);
    }
}
