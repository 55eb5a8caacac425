using Portcullis.Analyzer.Loading;
using Portcullis.Profiles.Recordings;

namespace Portcullis.Analyzer.Passes;

/// <summary>
/// The address families an app's sockets can have. The framework creates sockets only through libSystem.Native, whose
/// PAL maps just unix, inet, inet6, packet and can (plus netlink for network-change and interface queries, as glibc's
/// getifaddrs does); the packet and can families only when the app asks for them, which needs its code to name
/// System.Net.Sockets.AddressFamily (a Socket constructor, a SocketAddress, an EndPoint of its own). A P/Invoke into
/// libc or native code the app ships can ask for any family: then nothing is known.
/// </summary>
internal static class SocketFamilies
{
    private const int AfCan = 29;

    private static readonly int[] Framework = [SocketNames.AF_UNIX, SocketNames.AF_INET, SocketNames.AF_INET6, SocketNames.AF_NETLINK];

    /// <summary>Whether a native path to socket is the framework's own (libSystem.*), whose family the managed caller chose.</summary>
    public static bool IsFrameworkPath(string native) => native.StartsWith("libSystem.", StringComparison.Ordinal);

    public static IReadOnlyList<int> Of(AppAssemblies app)
    {
        var namesFamily = app.Modules.Any(m => m.GetTypeReferences().Any(t => t.FullName == "System.Net.Sockets.AddressFamily"));
        return namesFamily ? [.. Framework, SocketNames.AF_PACKET, AfCan] : Framework;
    }
}
