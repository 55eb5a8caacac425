using Iced.Intel;
using static Portcullis.Analyzer.Native.SymbolicValue;

namespace Portcullis.Analyzer.Native;

/// <summary>
/// Which values the registers may hold before each syscall instruction and each call or jump of one function, so that
/// syscall numbers and the targets of calls through pointers resolve. A forward dataflow over the decoded instructions:
/// branch targets merge the states of their predecessors, passes repeat until loops stop changing anything, the cases
/// of a switch whose table is read from the file start with the dispatch's state, and code reached only through
/// another jump table knows nothing. Besides constants it follows addresses (lea), what is loaded from a
/// fixed address (a GOT or dlsym slot), 8-byte stack slots, and, with a <see cref="CallModel"/>, what dlsym returns
/// and what snprintf writes; with one it also records the stores to fixed addresses.
/// </summary>
internal sealed class ConstantFlow
{
    // Loops settle in two or three passes; past this the function is unusual, and loop heads are simply made unknown.
    private const int MaxPasses = 8;

    // Lookback for the table load of a switch: clang and GCC put it within a few instructions of the jmp.
    private const int JumpTableWindow = 8;

    // A jump table's entries are read while they land inside the function, up to this many.
    private const int MaxJumpTableEntries = 1024;

    private readonly List<Instruction> code;
    private readonly ulong entry;
    private readonly ulong end;
    private readonly InstructionInfoFactory infoFactory;
    private readonly CallModel? calls;
    private readonly bool parameters;
    private readonly HashSet<ulong> targets = [];
    private readonly Dictionary<int, List<ulong>> jumpTables = [];
    private readonly Dictionary<int, (IReadOnlyList<long>? Rax, IReadOnlyList<long>? Rdi, IReadOnlyList<long>? Target)> before = [];
    private readonly Dictionary<int, IReadOnlyList<long>?[]> arguments = [];
    private readonly List<(ulong Address, long[]? Values)> stores = [];
    private readonly List<long[]?> lookups = [];
    private bool recording;

    /// <param name="elf">The file, to read the switches' jump tables from; null: the cases of a switch know nothing.</param>
    /// <param name="calls">What calls to dlsym, its wrappers and snprintf do; null: calls only clobber registers.</param>
    /// <param name="parameters">Start with the argument registers holding <see cref="Kind.Param"/> values rather than unknown.</param>
    public ConstantFlow(List<Instruction> code, ulong entry, ulong end, InstructionInfoFactory infoFactory, ElfCode? elf = null, CallModel? calls = null, bool parameters = false)
    {
        (this.code, this.entry, this.end, this.infoFactory, this.calls, this.parameters) = (code, entry, end, infoFactory, calls, parameters);
        var tables = new List<(int Index, ulong Table)>();
        for (var i = 0; i < code.Count; i++)
        {
            if (InsideTarget(code[i]) is { } t)
                targets.Add(t);
            else if (elf is not null && code[i].FlowControl == FlowControl.IndirectBranch && JumpTableAddress(i) is { } table)
                tables.Add((i, table));
        }
        // Tables of one function lie side by side: each ends at the next one's start at the latest.
        var starts = tables.Select(t => t.Table).Distinct().Order().ToList();
        foreach (var (i, table) in tables)
        {
            var next = starts.FirstOrDefault(s => s > table);
            var limit = next == 0 ? MaxJumpTableEntries : (int)Math.Min((ulong)MaxJumpTableEntries, (next - table) / 4);
            var cases = Cases(elf!, table, limit);
            if (cases.Count == 0)
                continue;
            jumpTables[i] = cases;
            targets.UnionWith(cases);
        }
        Run();
    }

    /// <summary>
    /// The cases of a PIC switch: lea base,[rip+table]; movsxd r,[base+index*4]; add r,base; jmp r. The table's int32
    /// entries are offsets from its start; they are read while they land inside the function (the bound check before
    /// the dispatch is not read), so a table followed by another may give extra cases, which only merge more states.
    /// </summary>
    private ulong? JumpTableAddress(int index)
    {
        var jmp = code[index];
        if (jmp.Op0Kind != OpKind.Register)
            return null;
        var first = Math.Max(0, index - JumpTableWindow);
        for (var i = index - 1; i >= first; i--)
        {
            var load = code[i];
            if (load.Mnemonic != Mnemonic.Movsxd || load.Op1Kind != OpKind.Memory || load.MemoryIndexScale != 4 || load.MemoryDisplacement64 != 0)
                continue;
            for (var j = i - 1; j >= first; j--)
            {
                var lea = code[j];
                if (lea.Op0Kind == OpKind.Register && lea.Op0Register == load.MemoryBase)
                    return lea.Mnemonic == Mnemonic.Lea && lea.IsIPRelativeMemoryOperand ? lea.IPRelativeMemoryAddress : null;
            }
            return null;
        }
        return null;
    }

    private List<ulong> Cases(ElfCode elf, ulong table, int limit)
    {
        var cases = new List<ulong>();
        for (var n = 0; n < limit; n++)
        {
            if (elf.Int32At(table + (ulong)(4 * n)) is not { } offset)
                break;
            var target = table + (ulong)(long)offset;
            if (target < entry || target >= end)
                break;
            cases.Add(target);
        }
        return cases;
    }

    /// <summary>The candidates for rax before the instruction at <paramref name="index"/> (null: unknown).</summary>
    public IReadOnlyList<long>? RaxBefore(int index) => before.TryGetValue(index, out var s) ? s.Rax : null;

    public IReadOnlyList<long>? RdiBefore(int index) => before.TryGetValue(index, out var s) ? s.Rdi : null;

    /// <summary>The candidates for each argument register (rdi … r9) before the direct call or jump at <paramref name="index"/> (null: unknown).</summary>
    public IReadOnlyList<IReadOnlyList<long>?>? ArgumentsBefore(int index) => arguments.TryGetValue(index, out var a) ? a : null;

    /// <summary>Where the indirect call or jump at <paramref name="index"/> may go: code addresses, or <see cref="Kind.Contents"/> of a slot.</summary>
    public IReadOnlyList<long>? TargetBefore(int index) => before.TryGetValue(index, out var s) ? s.Target : null;

    /// <summary>With a <see cref="CallModel"/>: each 8-byte store to a fixed address and the values stored (null: unknown).</summary>
    public IReadOnlyList<(ulong Address, long[]? Values)> Stores => stores;

    /// <summary>With a <see cref="CallModel"/>: for each call to dlsym or a wrapper, what it returns (null: a name not known).</summary>
    public IReadOnlyList<long[]?> Lookups => lookups;

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
        recording = record;
        RegisterConstants? state = Initial(); // null: not reached (yet) on any known path
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
            if (state is null && instr.Mnemonic is Mnemonic.Nop or Mnemonic.Int3)
                continue; // alignment padding after a jump runs on no path: it must not fall into the next target as unknown
            if (state is null)
            {
                // After a jump or return, code that no direct branch (nor a jump table read from the file) targets is
                // reached through another jump table (or not at all): it knows nothing. A target that no known path
                // reaches yet waits for a later pass.
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
            {
                before[i] = (state.Get(Register.RAX), state.Get(Register.RDI), IsIndirect(instr) ? Target(instr, state) : null);
                if (!IsIndirect(instr))
                    arguments[i] = [.. Arguments.Select(state.Get)];
            }

            Transfer(instr, state);
            if (InsideTarget(instr) is { } target && (!record || loopHeadsUnknown) && (!loopHeadsUnknown || target > instr.IP))
                changed |= Merge(edges, target, state);
            else if (jumpTables.TryGetValue(i, out var cases) && (!record || loopHeadsUnknown))
                foreach (var t in cases.Where(t => !loopHeadsUnknown || t > instr.IP))
                    changed |= Merge(edges, t, state);
            if (!FallsThrough(instr))
                state = null;
        }
        return changed;
    }

    /// <summary>A switch: jmp reg right after a load from a table indexed by a scaled register, or jmp [table+reg*8].</summary>
    internal static bool IsJumpTable(List<Instruction> code, int index)
    {
        var jmp = code[index];
        if (jmp.Op0Kind == OpKind.Memory)
            return jmp.MemoryIndex != Register.None && jmp.MemoryIndexScale >= 4;
        for (var i = index - 1; i >= 0 && i >= index - JumpTableWindow; i--)
        {
            var prior = code[i];
            if (prior.FlowControl != FlowControl.Next)
                return false;
            for (var op = 0; op < prior.OpCount; op++)
                if (prior.GetOpKind(op) == OpKind.Memory && prior.MemoryIndex != Register.None && prior.MemoryIndexScale >= 4)
                    return true;
        }
        return false;
    }

    private RegisterConstants Initial()
    {
        var state = RegisterConstants.Unknown();
        state.Set(Register.RSP, StackAddress(0));
        if (parameters)
            for (var i = 0; i < Arguments.Length; i++)
                state.Set(Arguments[i], Make(Kind.Param, (ulong)i));
        return state;
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

    private static bool IsIndirect(in Instruction instr) =>
        instr.FlowControl is FlowControl.IndirectCall or FlowControl.IndirectBranch
        || (instr.FlowControl is FlowControl.Call or FlowControl.UnconditionalBranch && instr.Op0Kind is OpKind.Memory or OpKind.Register);

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
            Call(instr, state);
        else if (instr.FlowControl == FlowControl.Next)
            Track(instr, state);
        else
        {
            // A tail jump to dlsym makes a wrapper of this function, as a call does.
            if (calls is not null && instr.FlowControl == FlowControl.UnconditionalBranch && calls.Effect(instr) is { Kind: CallKind.Lookup } effect && recording)
                lookups.Add(Names(state.Get(Arguments[effect.Name]), state));
            if (state.AnyKnown)
                Forget(instr, state);
        }
    }

    /// <summary>A call clobbers the caller-saved registers and may write the stack slots passed to it; dlsym and snprintf do what they do.</summary>
    private void Call(in Instruction instr, RegisterConstants state)
    {
        var effect = calls?.Effect(instr) ?? default;
        long[]? result = null;
        if (effect.Kind == CallKind.Lookup)
        {
            result = Names(state.Get(Arguments[effect.Name]), state);
            if (recording)
                lookups.Add(result);
        }
        var (buffers, formats) = effect.Kind == CallKind.Format ? (state.Get(Arguments[effect.Buffer]), state.Get(Arguments[effect.Format])) : (null, null);
        if (state.HasMemory)
            foreach (var argument in Arguments)
                if (state.Get(argument) is { } passed)
                    foreach (var p in passed.Where(p => KindOf(p) == Kind.Stack))
                        state.Store(p, null);
        state.ForgetCallerSaved();
        if (result is not null)
            state.Set(Register.RAX, result);
        if (buffers is not null && formats is not null && formats.All(f => KindOf(f) == Kind.Constant))
        {
            long[] text = [.. formats.Select(f => Make(Kind.Formatted, (ulong)f))];
            foreach (var b in buffers.Where(b => KindOf(b) == Kind.Stack))
                state.Store(b, text);
        }
    }

    /// <summary>What a lookup of the names in <paramref name="candidates"/> returns, or null if any name is not known.</summary>
    private static long[]? Names(IReadOnlyList<long>? candidates, RegisterConstants state)
    {
        if (candidates is null)
            return null;
        var names = new List<long>();
        foreach (var c in candidates)
        {
            switch (KindOf(c))
            {
                case Kind.Constant:
                    names.Add(Make(Kind.DlsymName, (ulong)c));
                    break;
                case Kind.Param:
                    names.Add(Make(Kind.DlsymParam, Payload(c)));
                    break;
                case Kind.Stack when state.Load(c) is { } text && text.All(t => KindOf(t) == Kind.Formatted):
                    names.AddRange(text.Select(t => Make(Kind.DlsymFormat, Payload(t))));
                    break;
                default:
                    return null;
            }
        }
        return [.. names.Distinct()];
    }

    private static bool FallsThrough(in Instruction instr) => instr.FlowControl switch
    {
        FlowControl.UnconditionalBranch or FlowControl.IndirectBranch or FlowControl.Return or FlowControl.Exception => false,
        FlowControl.Interrupt => instr.Mnemonic != Mnemonic.Int3,
        _ => true,
    };

    private void Track(in Instruction instr, RegisterConstants state)
    {
        if (instr.IsStackInstruction || instr.Mnemonic == Mnemonic.Leave)
        {
            StackInstruction(instr, state);
            return;
        }
        if (instr.Op0Kind == OpKind.Register && instr.Op0Register == Register.RSP && instr.Mnemonic is Mnemonic.Sub or Mnemonic.Add && IsImmediate(instr.Op1Kind))
        {
            var by = (long)instr.GetImmediate(1);
            state.Set(Register.RSP, Shift(state.Get(Register.RSP), instr.Mnemonic == Mnemonic.Sub ? -by : by));
            return;
        }
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
                state.Set(dest, source is null ? null : size == 8 ? [.. source] : Truncate(source));
                return;
            }
            if (size == 8 && IsCmov(instr.Mnemonic) && instr.Op1Kind == OpKind.Register && instr.Op1Register.IsGPR64())
            {
                // Either value: both candidates, when both are known.
                var (kept, moved) = (state.Get(dest), state.Get(instr.Op1Register));
                state.Set(dest, kept is null || moved is null ? null : Either(kept, moved));
                return;
            }
            if (size == 8 && instr.Mnemonic == Mnemonic.Lea && instr.Op1Kind == OpKind.Memory)
            {
                state.Set(dest, Address(instr, state));
                return;
            }
            if (size == 8 && instr.Mnemonic == Mnemonic.Mov && instr.Op1Kind == OpKind.Memory && instr.MemorySize.GetSize() == 8)
            {
                state.Set(dest, Load(instr, state));
                return;
            }
        }
        else if (instr.Op0Kind == OpKind.Memory && Address(instr, state) is { } addresses)
        {
            Store(instr, addresses, state);
            if (instr.Mnemonic == Mnemonic.Mov)
                return; // writes no register
        }
        if (state.AnyKnown)
            Forget(instr, state);
    }

    private static bool IsCmov(Mnemonic m) => m is Mnemonic.Cmova or Mnemonic.Cmovae or Mnemonic.Cmovb or Mnemonic.Cmovbe or Mnemonic.Cmove
        or Mnemonic.Cmovg or Mnemonic.Cmovge or Mnemonic.Cmovl or Mnemonic.Cmovle or Mnemonic.Cmovne or Mnemonic.Cmovno or Mnemonic.Cmovnp
        or Mnemonic.Cmovns or Mnemonic.Cmovo or Mnemonic.Cmovp or Mnemonic.Cmovs;

    private static long[]? Either(IReadOnlyList<long> a, IReadOnlyList<long> b)
    {
        var union = a.Union(b).Order().ToArray();
        return union.Length > RegisterConstants.MaxValues ? null : union;
    }

    // A 32-bit move keeps numbers but not addresses or other symbolic values.
    private static long[]? Truncate(IReadOnlyList<long> source) =>
        source.All(v => KindOf(v) == Kind.Constant) ? [.. source.Select(v => (long)(uint)v)] : null;

    /// <summary>A write to a memory operand: an 8-byte mov sets the stack slot or is recorded as a store; anything else forgets what it may overlap.</summary>
    private void Store(in Instruction instr, long[] addresses, RegisterConstants state)
    {
        var size = Math.Max(1, instr.MemorySize.GetSize());
        long[]? value = null;
        var full = instr.Mnemonic == Mnemonic.Mov && size == 8;
        if (full && instr.Op1Kind == OpKind.Register && instr.Op1Register.IsGPR64())
            value = state.Get(instr.Op1Register) is { } v ? [.. v] : null;
        else if (full && IsImmediate(instr.Op1Kind))
            value = [(long)instr.GetImmediate(1)];
        var writes = instr.Mnemonic is not (Mnemonic.Cmp or Mnemonic.Test or Mnemonic.Bt) && !instr.IsStackInstruction;
        if (!writes)
            return;
        foreach (var a in addresses)
        {
            if (KindOf(a) == Kind.Stack)
            {
                var at = StackOffset(a);
                state.ForgetMemory(k => StackOffset(k) is var d && d > at - 8 && d < at + size);
                if (full && addresses.Length == 1)
                    state.Store(a, value);
            }
            else if (KindOf(a) == Kind.Constant && calls is not null && recording)
                stores.Add(((ulong)a, full ? value : null));
        }
    }

    /// <summary>
    /// push, pop, leave and the like: rsp moves by what the instruction says, a push stores what it pushes into the slot
    /// below, a pop loads it back (a register saved and restored around a call stays known), leave restores rbp.
    /// </summary>
    private void StackInstruction(in Instruction instr, RegisterConstants state)
    {
        var rsp = state.Get(Register.RSP);
        if (instr.Mnemonic == Mnemonic.Leave)
        {
            var frame = state.Get(Register.RBP);
            state.Set(Register.RBP, Single(frame) is { } at ? state.Load(at) : null);
            state.Set(Register.RSP, Shift(frame, 8));
            return;
        }
        if (instr.Mnemonic == Mnemonic.Push)
        {
            var below = Shift(rsp, -8);
            long[]? pushed = instr.Op0Kind == OpKind.Register && instr.Op0Register.IsGPR64() ? state.Get(instr.Op0Register) is { } v ? [.. v] : null
                : IsImmediate(instr.Op0Kind) ? [(long)instr.GetImmediate(0)]
                : null;
            if (Single(below) is { } slot)
                state.Store(slot, pushed);
            state.Set(Register.RSP, below);
            return;
        }
        if (instr.Mnemonic == Mnemonic.Pop && instr.Op0Kind == OpKind.Register && instr.Op0Register.IsGPR64())
        {
            var popped = Single(rsp) is { } slot ? state.Load(slot) : null;
            state.Set(Register.RSP, Shift(rsp, 8));
            state.Set(instr.Op0Register, popped);
            return;
        }
        state.Set(Register.RSP, Shift(rsp, instr.StackPointerIncrement));
        if (state.AnyKnown)
            foreach (var used in infoFactory.GetInfo(instr).GetUsedRegisters())
                if (used.Register.GetFullRegister() != Register.RSP && used.Access is OpAccess.Write or OpAccess.CondWrite or OpAccess.ReadWrite or OpAccess.ReadCondWrite)
                    state.Forget(used.Register);
    }

    private static long? Single(IReadOnlyList<long>? values) => values is [var v] && KindOf(v) == Kind.Stack ? v : null;

    /// <summary>Stack addresses moved by <paramref name="by"/> bytes; anything else is not a stack address any more.</summary>
    private static long[]? Shift(IReadOnlyList<long>? values, long by) =>
        values is not null && values.All(v => KindOf(v) == Kind.Stack) ? [.. values.Select(v => OffsetStack(v, by))] : null;

    /// <summary>
    /// The candidates for the address of the memory operand: a fixed address (rip-relative, or a register holding one),
    /// a stack address (rbp or rsp based), or null when a register or an index makes it unknown.
    /// </summary>
    private static long[]? Address(in Instruction instr, RegisterConstants state)
    {
        if (instr.IsIPRelativeMemoryOperand)
            return [(long)instr.IPRelativeMemoryAddress];
        if (instr.MemoryIndex != Register.None || instr.MemorySegment is Register.FS or Register.GS || !instr.MemoryBase.IsGPR64())
            return null;
        var displacement = (long)instr.MemoryDisplacement64;
        if (state.Get(instr.MemoryBase) is not { } bases)
            return null;
        var result = new long[bases.Count];
        for (var i = 0; i < bases.Count; i++)
        {
            result[i] = KindOf(bases[i]) switch
            {
                Kind.Constant => bases[i] + displacement,
                Kind.Stack => OffsetStack(bases[i], displacement),
                _ => 0,
            };
            if (result[i] == 0)
                return null;
        }
        return result;
    }

    /// <summary>What an 8-byte load from the memory operand gives: a slot's contents, or a known stack slot.</summary>
    private static long[]? Load(in Instruction instr, RegisterConstants state)
    {
        if (Address(instr, state) is not { } addresses)
            return null;
        var values = new List<long>();
        foreach (var a in addresses)
        {
            if (KindOf(a) == Kind.Constant && a > 0 && (ulong)a <= (1UL << 48) - 1)
                values.Add(Make(Kind.Contents, (ulong)a));
            else if (KindOf(a) == Kind.Stack && state.Load(a) is { } stored)
                values.AddRange(stored);
            else
                return null;
        }
        return [.. values.Distinct()];
    }

    /// <summary>Where an indirect call or jump goes: the register's values, or what the memory operand holds.</summary>
    private static long[]? Target(in Instruction instr, RegisterConstants state) => instr.Op0Kind switch
    {
        OpKind.Register when instr.Op0Register.IsGPR64() => state.Get(instr.Op0Register) is { } v ? [.. v] : null,
        OpKind.Memory => Load(instr, state),
        _ => null,
    };

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
