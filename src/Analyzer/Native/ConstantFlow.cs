using Iced.Intel;

namespace Portcullis.Analyzer.Native;

/// <summary>
/// Which constants eax/rax and edi/rdi may hold before each syscall instruction and each call or jump of one function,
/// so that syscall numbers resolve. A forward dataflow over the decoded instructions: branch targets merge the states
/// of their predecessors, passes repeat until loops stop changing anything, and code reached only through a jump
/// table knows nothing.
/// </summary>
internal sealed class ConstantFlow
{
    // Loops settle in two or three passes; past this the function is unusual, and loop heads are simply made unknown.
    private const int MaxPasses = 8;

    private readonly List<Instruction> code;
    private readonly ulong entry;
    private readonly ulong end;
    private readonly InstructionInfoFactory infoFactory;
    private readonly HashSet<ulong> targets = [];
    private readonly Dictionary<int, (IReadOnlyList<long>? Rax, IReadOnlyList<long>? Rdi)> before = [];

    public ConstantFlow(List<Instruction> code, ulong entry, ulong end, InstructionInfoFactory infoFactory)
    {
        (this.code, this.entry, this.end, this.infoFactory) = (code, entry, end, infoFactory);
        foreach (var instr in code)
            if (InsideTarget(instr) is { } t)
                targets.Add(t);
        Run();
    }

    /// <summary>The candidates for rax before the instruction at <paramref name="index"/> (null: unknown).</summary>
    public IReadOnlyList<long>? RaxBefore(int index) => before.TryGetValue(index, out var s) ? s.Rax : null;

    public IReadOnlyList<long>? RdiBefore(int index) => before.TryGetValue(index, out var s) ? s.Rdi : null;

    private void Run()
    {
        var edges = new Dictionary<ulong, RegisterConstants>();
        for (var pass = 0; pass < MaxPasses; pass++)
            if (!Pass(edges, record: false, loopHeadsUnknown: false))
            {
                Pass(edges, record: true, loopHeadsUnknown: false);
                return;
            }
        // No fixpoint: one forward-only pass in which a loop head knows nothing is still sound.
        edges.Clear();
        Pass(edges, record: true, loopHeadsUnknown: true);
    }

    /// <summary>One linear pass; returns whether any branch target's state changed.</summary>
    private bool Pass(Dictionary<ulong, RegisterConstants> edges, bool record, bool loopHeadsUnknown)
    {
        var changed = false;
        RegisterConstants? state = RegisterConstants.Unknown(); // null: not reached (yet) on any known path
        var waiting = false; // state is null because this code falls through from a target no known path reaches yet
        for (var i = 0; i < code.Count; i++)
        {
            var instr = code[i];
            if (loopHeadsUnknown && targets.Contains(instr.IP) && IsLoopHead(instr.IP, i))
                state = RegisterConstants.Unknown();
            else if (edges.TryGetValue(instr.IP, out var incoming))
            {
                if (state is null)
                    state = incoming.Copy();
                else
                    state.MergeFrom(incoming);
            }
            if (state is null)
            {
                // After a jump or return, code that no direct branch targets is reached through a jump table (or not
                // at all): it knows nothing. A direct target that no known path reaches yet waits for a later pass.
                if (record || (!waiting && !targets.Contains(instr.IP)))
                    state = RegisterConstants.Unknown();
                else
                {
                    waiting = FallsThrough(instr);
                    continue;
                }
            }
            waiting = false;
            if (record && NeedsState(instr))
                before[i] = (state.Get(Register.RAX), state.Get(Register.RDI));

            Transfer(instr, state);
            if (InsideTarget(instr) is { } target && (!record || loopHeadsUnknown) && (!loopHeadsUnknown || target > instr.IP))
                changed |= Merge(edges, target, state);
            if (!FallsThrough(instr))
                state = null;
        }
        return changed;
    }

    private bool IsLoopHead(ulong target, int index)
    {
        for (var j = index; j < code.Count; j++)
            if (InsideTarget(code[j]) == target)
                return true;
        return false;
    }

    private static bool Merge(Dictionary<ulong, RegisterConstants> edges, ulong target, RegisterConstants state)
    {
        if (edges.TryGetValue(target, out var existing))
            return existing.MergeFrom(state);
        edges[target] = state.Copy();
        return true;
    }

    private ulong? InsideTarget(in Instruction instr)
    {
        if (instr.FlowControl is not (FlowControl.UnconditionalBranch or FlowControl.ConditionalBranch)
            || instr.Op0Kind is not (OpKind.NearBranch16 or OpKind.NearBranch32 or OpKind.NearBranch64))
            return null;
        var t = instr.NearBranchTarget;
        return t >= entry && t < end ? t : null;
    }

    private static bool NeedsState(Instruction instr) =>
        instr.Mnemonic == Mnemonic.Syscall || instr.FlowControl is FlowControl.Call or FlowControl.IndirectCall
            or FlowControl.UnconditionalBranch or FlowControl.ConditionalBranch or FlowControl.IndirectBranch;

    /// <summary>The instruction's effect on the constants.</summary>
    private void Transfer(in Instruction instr, RegisterConstants state)
    {
        if (instr.IsInvalid)
            state.ForgetCallerSaved();
        else if (instr.Mnemonic == Mnemonic.Syscall)
        {
            state.Forget(Register.RAX);
            state.Forget(Register.RCX);
            state.Forget(Register.R11);
        }
        else if (instr.FlowControl is FlowControl.Call or FlowControl.IndirectCall)
            state.ForgetCallerSaved();
        else if (instr.FlowControl == FlowControl.Next)
            Track(instr, state);
        else if (state.AnyKnown)
            Forget(instr, state);
    }

    private static bool FallsThrough(in Instruction instr) => instr.FlowControl switch
    {
        FlowControl.UnconditionalBranch or FlowControl.IndirectBranch or FlowControl.Return or FlowControl.Exception => false,
        FlowControl.Interrupt => instr.Mnemonic != Mnemonic.Int3,
        _ => true,
    };

    private void Track(in Instruction instr, RegisterConstants state)
    {
        if (instr.Op0Kind == OpKind.Register && instr.Op0Register.IsGPR() && instr.Op0Register.GetSize() is var size and >= 4)
        {
            var dest = instr.Op0Register;
            if (instr.Mnemonic == Mnemonic.Mov && IsImmediate(instr.Op1Kind))
            {
                var value = instr.GetImmediate(1);
                state.Set(dest, size == 4 ? (long)(uint)value : (long)value);
                return;
            }
            if (instr.Mnemonic is Mnemonic.Xor or Mnemonic.Sub && instr.Op1Kind == OpKind.Register && instr.Op1Register == dest)
            {
                state.Set(dest, 0);
                return;
            }
            if (instr.Mnemonic == Mnemonic.Mov && instr.Op1Kind == OpKind.Register && instr.Op1Register.IsGPR() && instr.Op1Register.GetSize() == size)
            {
                var source = state.Get(instr.Op1Register);
                state.Set(dest, source is null ? null : size == 4 ? [.. source.Select(v => (long)(uint)v)] : [.. source]);
                return;
            }
        }
        if (state.AnyKnown)
            Forget(instr, state);
    }

    private void Forget(in Instruction instr, RegisterConstants state)
    {
        foreach (var used in infoFactory.GetInfo(instr).GetUsedRegisters())
            if (used.Access is OpAccess.Write or OpAccess.CondWrite or OpAccess.ReadWrite or OpAccess.ReadCondWrite)
                state.Forget(used.Register);
    }

    private static bool IsImmediate(OpKind kind) =>
        kind is OpKind.Immediate8 or OpKind.Immediate16 or OpKind.Immediate32 or OpKind.Immediate64
            or OpKind.Immediate8to16 or OpKind.Immediate8to32 or OpKind.Immediate8to64 or OpKind.Immediate32to64;
}
