namespace Portcullis.Profiles.Recordings;

/// <summary>Names of the socket families and types seen in practice (linux/socket.h, linux/net.h).</summary>
public static class SocketNames
{
    public const int AF_UNIX = 1;
    public const int AF_INET = 2;
    public const int AF_INET6 = 10;
    public const int AF_NETLINK = 16;
    public const int AF_PACKET = 17;

    public static string Family(int family) => family switch
    {
        AF_UNIX => "unix",
        AF_INET => "inet",
        AF_INET6 => "inet6",
        AF_NETLINK => "netlink",
        AF_PACKET => "packet",
        4 => "ipx",
        5 => "appletalk",
        38 => "alg",
        40 => "vsock",
        _ => $"family{family}",
    };

    /// <summary>The socket type without SOCK_NONBLOCK / SOCK_CLOEXEC.</summary>
    public static string Type(int type) => (type & 0xf) switch
    {
        1 => "stream",
        2 => "dgram",
        3 => "raw",
        4 => "rdm",
        5 => "seqpacket",
        10 => "packet",
        var t => $"type{t}",
    };
}
