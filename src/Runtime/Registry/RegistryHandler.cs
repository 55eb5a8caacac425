using System.Net;
using System.Net.Sockets;
using Portcullis.Runtime.Hosting;

namespace Portcullis.Runtime.Registry;

/// <summary>
/// The HTTP stack for registries that pods name: redirects are left to the transport (which keeps
/// credentials at home); no connection to a loopback, link-local (cloud metadata), unspecified or multicast
/// address unless the registry is one the runtime was told about (listed in InsecureRegistries or a
/// RegistryMirrors target, as host or host:port); and no Retry-After longer than <see cref="RuntimeOptions.MaxRetryAfter"/>.
/// </summary>
public static class RegistryHandler
{
    public static HttpMessageHandler Create(RuntimeOptions options) =>
        new RetryAfterCap(options.MaxRetryAfter, new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectCallback = (context, cancel) => ConnectAsync(options, context.DnsEndPoint, cancel),
        });

    public static bool IsInternal(IPAddress address)
    {
        var a = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        if (IPAddress.IsLoopback(a) || a.IsIPv6LinkLocal || a.IsIPv6Multicast || a.Equals(IPAddress.IPv6Any))
            return true;
        if (a.AddressFamily != AddressFamily.InterNetwork)
            return false;
        var b = a.GetAddressBytes();
        return b[0] == 0 || b[0] == 169 && b[1] == 254 || b[0] >= 224;
    }

    private static async ValueTask<Stream> ConnectAsync(RuntimeOptions options, DnsEndPoint endpoint, CancellationToken cancel)
    {
        var addresses = IPAddress.TryParse(endpoint.Host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(endpoint.Host, cancel).ConfigureAwait(false);
        var known = options.InsecureRegistries.Concat(options.RegistryMirrors.Values)
            .Any(r => string.Equals(r, endpoint.Host, StringComparison.OrdinalIgnoreCase) || string.Equals(r, $"{endpoint.Host}:{endpoint.Port}", StringComparison.OrdinalIgnoreCase));
        var usable = addresses.Where(a => known || !IsInternal(a)).ToArray();
        if (usable.Length == 0)
            throw new HttpRequestException($"refusing to connect to {endpoint.Host} ({string.Join(", ", addresses.Select(a => a.ToString()))}): an internal address, and not a registry the runtime was configured with");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(usable, endpoint.Port, cancel).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>A registry's Retry-After, capped: it may slow a lookup down, not park it.</summary>
    private sealed class RetryAfterCap(TimeSpan cap, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.Headers.RetryAfter is { } after && (after.Delta > cap || after.Date is not null))
                response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(after.Delta is { } d && d < cap ? d : cap);
            return response;
        }
    }
}
