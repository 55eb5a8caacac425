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

    /// <summary>
    /// The instructions that can run on Linux: flow from the method's start and every handler, where a conditional
    /// branch right after a fixed call (and not itself a branch target, so the value on the stack is that call's) goes
    /// one way only. A debug build stores the value in a local first: its branches are all kept.
    /// </summary>
    public static HashSet<Instruction> Reachable(MethodBody body)
    {
        var targets = new HashSet<Instruction>();
        foreach (var i in body.Instructions)
        {
            if (i.Operand is Instruction t)
                targets.Add(t);
            else if (i.Operand is Instruction[] many)
                targets.UnionWith(many);
        }
        var reached = new HashSet<Instruction>();
        var pending = new Stack<Instruction>();
        void Push(Instruction? i)
        {
            if (i is not null && reached.Add(i))
                pending.Push(i);
        }
        if (body.Instructions.Count > 0)
            Push(body.Instructions[0]);
        foreach (var handler in body.ExceptionHandlers)
        {
            Push(handler.HandlerStart);
            Push(handler.FilterStart);
        }
        while (pending.TryPop(out var i))
        {
            switch (i.OpCode.FlowControl)
            {
                case FlowControl.Branch:
                    Push((Instruction)i.Operand);
                    break;
                case FlowControl.Cond_Branch when i.Operand is Instruction target:
                    var known = i.Previous is { } previous && !targets.Contains(i) ? ValueOf(previous) : null;
                    var jumps = i.OpCode.Code is Code.Brtrue or Code.Brtrue_S ? known : i.OpCode.Code is Code.Brfalse or Code.Brfalse_S ? !known : null;
                    if (jumps is not false)
                        Push(target);
                    if (jumps is not true)
                        Push(i.Next);
                    break;
                case FlowControl.Cond_Branch when i.Operand is Instruction[] cases:
                    foreach (var c in cases)
                        Push(c);
                    Push(i.Next);
                    break;
                case FlowControl.Return or FlowControl.Throw:
                    break;
                default:
                    Push(i.Next);
                    break;
            }
        }
        return reached;
    }
}
