using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Portcullis.Analyzer.Il;

/// <summary>
/// A method's last parameter when it is a bool the body only reads: code a branch on it reaches only when it is true
/// (FileStream's Flush(bool flushToDisk) calls fsync only then) runs only for callers that pass true, or a value
/// analysis cannot see (<see cref="FlagArgument"/>). Callers are read at the call: the instruction right before it
/// pushes the last argument, ldc.i4.0 for false or ldarg of the caller's own flag, unless control can reach the
/// call from elsewhere (it is a branch target) or the call is vararg.
/// </summary>
internal static class LastFlag
{
    /// <summary>The flag, or null when the last parameter is not a bool or the body writes it or takes its address.</summary>
    public static ParameterDefinition? Of(MethodDefinition method)
    {
        if (!method.HasBody || method.Parameters.Count == 0 || method.Parameters[^1] is not { ParameterType.MetadataType: MetadataType.Boolean } flag)
            return null;
        foreach (var i in method.Body.Instructions)
        {
            if (i.OpCode.Code is Code.Starg or Code.Starg_S or Code.Ldarga or Code.Ldarga_S && i.Operand == flag)
                return null;
        }
        return flag;
    }

    /// <summary>Whether <paramref name="i"/> loads <paramref name="flag"/>.</summary>
    public static bool Loads(Instruction i, ParameterDefinition flag) => i.OpCode.Code switch
    {
        Code.Ldarg_0 => flag.Sequence == 0,
        Code.Ldarg_1 => flag.Sequence == 1,
        Code.Ldarg_2 => flag.Sequence == 2,
        Code.Ldarg_3 => flag.Sequence == 3,
        Code.Ldarg or Code.Ldarg_S => i.Operand == flag,
        _ => false,
    };

    /// <summary>What the call at <paramref name="call"/> passes as <paramref name="callee"/>'s flag.</summary>
    /// <param name="callersFlag">The calling method's own flag, if it has one.</param>
    /// <param name="targets">The calling body's branch targets.</param>
    public static FlagArgument Passed(Instruction call, MethodDefinition callee, ParameterDefinition? callersFlag, HashSet<Instruction> targets)
    {
        // A vararg call pushes its extra arguments after the declared ones: the last push is not the flag.
        if (call.OpCode.Code is not (Code.Call or Code.Callvirt or Code.Newobj) || callee.Parameters.Count == 0
            || callee.CallingConvention == MethodCallingConvention.VarArg || call.Operand is MethodReference { CallingConvention: MethodCallingConvention.VarArg }
            || callee.Parameters[^1].ParameterType.MetadataType != MetadataType.Boolean || targets.Contains(call) || call.Previous is not { } pushed)
            return FlagArgument.Unknown;
        if (pushed.OpCode.Code is Code.Ldc_I4_0)
            return FlagArgument.False;
        return callersFlag is not null && Loads(pushed, callersFlag) ? FlagArgument.CallersFlag : FlagArgument.Unknown;
    }
}
