using Iced.Intel;

namespace Portcullis.Analyzer.Native;

/// <summary>
/// Decodes one function by linear sweep and says what it calls. Linear sweep is enough because the range comes from
/// unwind info and symbols, and compilers do not put data inside x86-64 functions (jump tables live in .rodata).
/// Not thread-safe: it reuses one <see cref="InstructionInfoFactory"/>.
/// </summary>
internal sealed class CodeWalker(ElfCode elf)
{
    private const string SyscallImport = "syscall";

    private readonly InstructionInfoFactory infoFactory = new();

    /// <param name="arguments">Run the dataflow whatever the code, for what each call passes (<see cref="CallSite"/>): a callee calls through an argument.</param>
    public FunctionFacts Walk(ulong entry, bool arguments = false)
    {
        var section = elf.SectionAt(entry);
        if (section is null || section.IsPlt)
            return new FunctionFacts([], [], [], [], 0);
        var end = elf.EndOf(entry);
        var code = elf.Decode(entry, end);
        // The dataflow is for syscall numbers and, in a library that fills pointers with dlsym, for calls through a
        // register (lea rax,[rip+FOO_ptr]; call [rax]). Most functions need neither: skip it for them.
        var flow = arguments || code.Exists(IsSyscall) || (elf.DlsymSlots.Count > 0 && code.Exists(IsThroughRegister))
            ? new ConstantFlow(code, entry, end, infoFactory, elf, parameters: true)
            : null;
        var facts = new FactsCollector(entry);
        if (flow is not null)
            facts.RecordSites();
        for (var i = 0; i < code.Count; i++)
            Collect(code, i, entry, end, flow, facts);
        return facts.Build();
    }

    /// <summary>An indirect call or jump whose target is in a register or is loaded through one.</summary>
    private static bool IsThroughRegister(Instruction instr) =>
        instr.FlowControl is FlowControl.IndirectCall or FlowControl.IndirectBranch
        && (instr.Op0Kind == OpKind.Register || (instr.Op0Kind == OpKind.Memory && !instr.IsIPRelativeMemoryOperand));

    private void Collect(List<Instruction> code, int index, ulong entry, ulong end, ConstantFlow? flow, FactsCollector facts)
    {
        var instr = code[index];
        if (instr.IsInvalid)
            return;
        if (instr.Mnemonic == Mnemonic.Syscall)
        {
            facts.Syscall(flow?.RaxBefore(index));
            return;
        }
        switch (instr.FlowControl)
        {
            case FlowControl.Call when IsNearBranch(instr):
                Reach(instr.NearBranchTarget, flow?.RdiBefore(index), facts, direct: true);
                Site(instr.NearBranchTarget, flow, index, facts);
                break;
            case FlowControl.Call or FlowControl.IndirectCall:
                if (!ReachThroughGot(instr, flow?.RdiBefore(index), facts) && !ReachThroughFlow(flow, index, facts))
                    facts.Unresolved();
                break;
            case FlowControl.UnconditionalBranch or FlowControl.ConditionalBranch when IsNearBranch(instr):
                if (instr.NearBranchTarget < entry || instr.NearBranchTarget >= end)
                {
                    Reach(instr.NearBranchTarget, flow?.RdiBefore(index), facts, direct: true); // a tail call
                    Site(instr.NearBranchTarget, flow, index, facts);
                }
                break;
            case FlowControl.IndirectBranch:
                if (!ReachThroughGot(instr, flow?.RdiBefore(index), facts) && !ReachThroughFlow(flow, index, facts) && !ConstantFlow.IsJumpTable(code, index))
                    facts.Unresolved();
                break;
            case FlowControl.Next:
                NoteReferences(instr, facts);
                break;
        }
    }

    /// <summary>A syscall instruction, or a call or jump to syscall(3) through the PLT or the GOT.</summary>
    private bool IsSyscall(Instruction instr)
    {
        if (instr.Mnemonic == Mnemonic.Syscall)
            return true;
        if (instr.FlowControl is not (FlowControl.Call or FlowControl.IndirectCall or FlowControl.UnconditionalBranch or FlowControl.ConditionalBranch or FlowControl.IndirectBranch))
            return false;
        string? name = null;
        if (IsNearBranch(instr))
            elf.PltStubs.TryGetValue(instr.NearBranchTarget, out name);
        else if (instr.Op0Kind == OpKind.Memory && instr.IsIPRelativeMemoryOperand)
            elf.GotSlots.TryGetValue(instr.IPRelativeMemoryAddress, out name);
        return name == SyscallImport;
    }

    private static bool IsNearBranch(in Instruction instr) =>
        instr.Op0Kind is OpKind.NearBranch16 or OpKind.NearBranch32 or OpKind.NearBranch64;

    /// <summary>A direct call or tail jump: into the PLT is an import, into code is a function of this library.</summary>
    /// <param name="direct">A call or jump to the address itself (its <see cref="CallSite"/> says what it passes), not through a pointer.</param>
    private void Reach(ulong target, IReadOnlyList<long>? rdi, FactsCollector facts, bool direct = false)
    {
        var section = elf.SectionAt(target);
        if (section is null)
            return;
        if (!section.IsPlt)
            facts.Call(target, direct);
        else if (elf.PltStubs.TryGetValue(target, out var name))
            Import(name, rdi, facts);
        else
            facts.Unresolved();
    }

    /// <summary>
    /// call/jmp qword ptr [rip+slot] goes where the slot's relocation says: an import through the GOT (-fno-plt), or a
    /// pointer in data the loader initialised. A pointer the program may overwrite can also go anywhere else.
    /// </summary>
    private bool ReachThroughGot(in Instruction instr, IReadOnlyList<long>? rdi, FactsCollector facts) =>
        instr.Op0Kind == OpKind.Memory && instr.IsIPRelativeMemoryOperand && ReachThroughSlot(instr.IPRelativeMemoryAddress, rdi, facts);

    private int Status(IReadOnlyList<long> values, FactsCollector facts)
    {
        var mask = 0;
        foreach (var value in values)
        {
            if (SymbolicValue.Is(value, SymbolicValue.Kind.Param, out var n))
                mask |= 1 << (int)n;
            else if (SymbolicValue.Is(value, SymbolicValue.Kind.Contents, out var slot))
            {
                // as a call through the slot would: a pointer the program may overwrite can hold anything
                if (!ReachSlot(slot, null, facts) || (elf.IsMutableData(slot) && (!elf.DlsymSlots.ContainsKey(slot) || elf.Dlsym.Incomplete.Contains(slot))))
                    return CallSite.Unknown;
            }
            else if (SymbolicValue.KindOf(value) != SymbolicValue.Kind.Constant)
                return CallSite.Unknown;
            else if (elf.SectionAt((ulong)value) is { } section)
            {
                if (section.IsPlt && elf.PltStubs.TryGetValue((ulong)value, out var stub))
                    Import(stub, null, facts);
                else if (!section.IsPlt && elf.IsFunctionStart((ulong)value))
                    facts.Call((ulong)value);
                else
                    return CallSite.Unknown;
            }
            // else not code: a number (NULL) or data, which a call through it cannot run
        }
        return mask;
    }

    /// <summary>A call through a slot: a dlsym slot is the functions looked up for it; another slot in writable data can also hold anything.</summary>
    private bool ReachThroughSlot(ulong slot, IReadOnlyList<long>? rdi, FactsCollector facts)
    {
        if (!ReachSlot(slot, rdi, facts))
            return false;
        if (elf.IsMutableData(slot) && (!elf.DlsymSlots.ContainsKey(slot) || elf.Dlsym.Incomplete.Contains(slot)))
            facts.Unresolved();
        return true;
    }

    /// <summary>
    /// An indirect call or jump whose target the dataflow knows: a slot's contents (a GOT or dlsym slot reached through a
    /// register that holds its address), or a code address. False when the flow knows nothing; any candidate it cannot
    /// follow is unresolved.
    /// </summary>
    private bool ReachThroughFlow(ConstantFlow? flow, int index, FactsCollector facts)
    {
        if (flow?.TargetBefore(index) is not { Count: > 0 } targets)
            return false;
        var rdi = flow.RdiBefore(index);
        foreach (var target in targets)
        {
            if (SymbolicValue.Is(target, SymbolicValue.Kind.Contents, out var slot) && ReachThroughSlot(slot, rdi, facts))
                continue;
            if (SymbolicValue.KindOf(target) == SymbolicValue.Kind.Constant && elf.SectionAt((ulong)target) is not null)
                Reach((ulong)target, rdi, facts);
            else if (SymbolicValue.Is(target, SymbolicValue.Kind.Param, out var n))
                facts.CallsParameter((int)n);
            else
                facts.Unresolved();
        }
        return true;
    }

    /// <summary>
    /// A direct call into this library, with what a callee calling through each argument would reach: a function, PLT
    /// stub or slot the value names is made an edge here (so the caller accounts for it), the caller's own argument is
    /// passed on, anything else is unknown.
    /// </summary>
    private void Site(ulong callee, ConstantFlow? flow, int index, FactsCollector facts)
    {
        if (flow is null || elf.SectionAt(callee) is not { IsPlt: false })
            return;
        var passed = flow.ArgumentsBefore(index);
        var status = new int[SymbolicValue.Arguments.Length];
        for (var a = 0; a < status.Length; a++)
        {
            status[a] = passed?[a] is { Count: > 0 } values ? Status(values, facts) : CallSite.Unknown;
        }
        facts.Site(new CallSite(callee, status));
    }

    private bool ReachSlot(ulong slot, IReadOnlyList<long>? rdi, FactsCollector facts)
    {
        if (elf.DlsymSlots.TryGetValue(slot, out var dynamic))
        {
            foreach (var looked in dynamic)
                facts.DynamicImport(looked);
            if (elf.Dlsym.Fallbacks.TryGetValue(slot, out var fallbacks))
                foreach (var f in fallbacks)
                    facts.Call(f);
            return true;
        }
        if (elf.GotSlots.TryGetValue(slot, out var name))
            Import(name, rdi, facts);
        else if (elf.LocalSlots.TryGetValue(slot, out var local))
            facts.Call(local);
        else
            return false;
        return true;
    }

    private void Import(string name, IReadOnlyList<long>? rdi, FactsCollector facts)
    {
        // The library's own exports, called through its own PLT, run its own code (short of interposition).
        if (elf.LocalFunctions.TryGetValue(name, out var local))
        {
            facts.Call(local);
            return;
        }
        facts.Import(name);
        if (name == SyscallImport)
            facts.Syscall(rdi);
    }

    /// <summary>An address taken is a callback that something will call: lea of a function or PLT stub, or a load of a GOT slot.</summary>
    private void NoteReferences(in Instruction instr, FactsCollector facts)
    {
        if (!instr.IsIPRelativeMemoryOperand)
            return;
        var address = instr.IPRelativeMemoryAddress;
        if (instr.Mnemonic == Mnemonic.Lea)
        {
            if (elf.SectionAt(address) is { IsPlt: true } && elf.PltStubs.TryGetValue(address, out var stub))
                Import(stub, null, facts);
            else if (elf.IsFunctionStart(address))
                facts.Call(address);
        }
        else if (instr.Mnemonic == Mnemonic.Mov && instr.Op1Kind == OpKind.Memory)
            ReachSlot(address, null, facts);
    }
}
