using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Portcullis.Analyzer.Il;

/// <summary>
/// Framework calls whose answer is fixed on Linux, where every profile runs: OperatingSystem.IsWindows(), IsMacOS(),
/// ... are false, IsLinux() true, and RuntimeInformation.IsOSPlatform(OSPlatform.X) is decided by X. A branch on one
/// of them has one side that never runs on Linux, so the IL compiler leaves it out, as ILLink's unreachable-block
/// pass does for feature switches: ASP.NET's macOS certificate manager, which starts the `security` tool, would
/// otherwise give every Kestrel app vfork and execve.
/// </summary>
internal static class LinuxConstants
{
    private static readonly HashSet<string> FalseOnLinux = new(StringComparer.Ordinal)
    {
        "IsWindows", "IsWindowsVersionAtLeast", "IsMacOS", "IsMacOSVersionAtLeast", "IsOSX", "IsIOS", "IsIOSVersionAtLeast",
        "IsMacCatalyst", "IsMacCatalystVersionAtLeast", "IsTvOS", "IsTvOSVersionAtLeast", "IsWatchOS", "IsWatchOSVersionAtLeast",
        "IsAndroid", "IsAndroidVersionAtLeast", "IsFreeBSD", "IsFreeBSDVersionAtLeast", "IsBrowser", "IsWasi",
    };

    private static readonly Dictionary<string, bool> Platforms = new(StringComparer.Ordinal)
    {
        ["get_Linux"] = true, ["get_Windows"] = false, ["get_OSX"] = false, ["get_FreeBSD"] = false,
    };

    /// <summary>The value the call at <paramref name="call"/> leaves on the stack on Linux, when it is fixed.</summary>
    public static bool? ValueOf(Instruction call)
    {
        if (call.OpCode.Code is not Code.Call || call.Operand is not MethodReference m || m.ReturnType.MetadataType != MetadataType.Boolean)
            return null;
        switch (m.DeclaringType.FullName)
        {
            case "System.OperatingSystem":
                return m.Name == "IsLinux" && m.Parameters.Count == 0 ? true : FalseOnLinux.Contains(m.Name) ? false : null;
            case "System.Runtime.InteropServices.RuntimeInformation" when m.Name == "IsOSPlatform":
                return call.Previous is { OpCode.Code: Code.Call, Operand: MethodReference platform } && platform.DeclaringType.FullName == "System.Runtime.InteropServices.OSPlatform"
                    && Platforms.TryGetValue(platform.Name, out var value) ? value : null;
            default:
                return null;
        }
    }
}
