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

    // Lookback for the table load of a switch: clang and GCC put it within a few instructions of the jmp.
    private const int JumpTableWindow = 8;

    private readonly InstructionInfoFactory infoFactory = new();

    public FunctionFacts Walk(ulong entry)
    {
        var section = elf.SectionAt(entry);
        if (section is null || section.IsPlt)
            return new FunctionFacts([], [], [], 0);
        var end = elf.EndOf(entry);
        var code = Decode(section, entry, end);
        // Only syscall numbers need the dataflow, and few functions issue syscalls: skip it for the rest.
        var flow = code.Exists(IsSyscall) ? new ConstantFlow(code, entry, end, infoFactory) : null;
        var facts = new FactsCollector(entry);
        for (var i = 0; i < code.Count; i++)
            Collect(code, i, entry, end, flow, facts);
        return facts.Build();
    }

    private List<Instruction> Decode(CodeSection section, ulong entry, ulong end)
    {
        var code = new List<Instruction>();
        var offset = checked(section.FileOffset + (int)(entry - section.Address));
        var decoder = Decoder.Create(64, new ByteArrayCodeReader(elf.Bytes, offset, checked((int)(end - entry))), entry);
        while (decoder.IP < end)
        {
            decoder.Decode(out var instr);
            code.Add(instr);
        }
        return code;
    }

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
                Reach(instr.NearBranchTarget, flow?.RdiBefore(index), facts);
                break;
            case FlowControl.Call or FlowControl.IndirectCall:
                if (!ReachThroughGot(instr, flow?.RdiBefore(index), facts))
                    facts.Unresolved();
                break;
            case FlowControl.UnconditionalBranch or FlowControl.ConditionalBranch when IsNearBranch(instr):
                if (instr.NearBranchTarget < entry || instr.NearBranchTarget >= end)
                    Reach(instr.NearBranchTarget, flow?.RdiBefore(index), facts); // a tail call
                break;
            case FlowControl.IndirectBranch:
                if (!ReachThroughGot(instr, flow?.RdiBefore(index), facts) && !IsJumpTable(code, index))
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
    private void Reach(ulong target, IReadOnlyList<long>? rdi, FactsCollector facts)
    {
        var section = elf.SectionAt(target);
        if (section is null)
            return;
        if (!section.IsPlt)
            facts.Call(target);
        else if (elf.PltStubs.TryGetValue(target, out var name))
            Import(name, rdi, facts);
        else
            facts.Unresolved();
    }

    /// <summary>
    /// call/jmp qword ptr [rip+slot] goes where the slot's relocation says: an import through the GOT (-fno-plt), or a
    /// pointer in data the loader initialised. A pointer the program may overwrite can also go anywhere else.
    /// </summary>
    private bool ReachThroughGot(in Instruction instr, IReadOnlyList<long>? rdi, FactsCollector facts)
    {
        if (instr.Op0Kind != OpKind.Memory || !instr.IsIPRelativeMemoryOperand || !ReachSlot(instr.IPRelativeMemoryAddress, rdi, facts))
            return false;
        if (elf.IsMutableData(instr.IPRelativeMemoryAddress))
            facts.Unresolved();
        return true;
    }

    private bool ReachSlot(ulong slot, IReadOnlyList<long>? rdi, FactsCollector facts)
    {
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

    /// <summary>A switch: jmp reg right after a load from a table indexed by a scaled register, or jmp [table+reg*8].</summary>
    private static bool IsJumpTable(List<Instruction> code, int index)
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
