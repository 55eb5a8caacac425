using Mono.Cecil.Cil;

namespace Portcullis.Analyzer.Il;

/// <summary>
/// The instructions of a method body that can run when some values are fixed: flow from the method's start and
/// every handler, where a conditional branch right after an instruction whose value is fixed (and not itself a
/// branch target, so the value on the stack is that instruction's) goes one way only. A debug build stores such a
/// value in a local first: its branches are all kept.
/// </summary>
internal static class LiveCode
{
    /// <param name="fixedValue">The boolean an instruction leaves on the stack whenever it runs, or null when not fixed.</param>
    public static HashSet<Instruction> Reachable(MethodBody body, Func<Instruction, bool?> fixedValue)
    {
        var targets = BranchTargets(body);
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
                    var known = i.Previous is { } previous && !targets.Contains(i) ? fixedValue(previous) : null;
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

    /// <summary>Every instruction a branch or switch can jump to.</summary>
    public static HashSet<Instruction> BranchTargets(MethodBody body)
    {
        var targets = new HashSet<Instruction>();
        foreach (var i in body.Instructions)
        {
            if (i.Operand is Instruction t)
                targets.Add(t);
            else if (i.Operand is Instruction[] many)
                targets.UnionWith(many);
        }
        return targets;
    }
}
