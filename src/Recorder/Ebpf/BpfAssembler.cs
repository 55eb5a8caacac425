namespace Portcullis.Recorder.Ebpf;

/// <summary>
/// A tiny eBPF emitter: the handful of instructions the recorder's programs use, with named labels for
/// forward jumps. Opcodes from linux/bpf.h and linux/bpf_common.h.
/// </summary>
internal sealed class BpfAssembler
{
    public const int R0 = 0, R1 = 1, R2 = 2, R3 = 3, R6 = 6, R7 = 7, R8 = 8, R10 = 10;

    private const byte LdImmDw = 0x18, LdxW = 0x61, LdxDw = 0x79, StW = 0x62, StxW = 0x63, AtomicDw = 0xdb;
    private const byte Mov64K = 0xb7, Mov64X = 0xbf, Add64K = 0x07, Add64X = 0x0f, And64K = 0x57;
    private const byte JeqK = 0x15, JneK = 0x55, JneX = 0x5d, JgtK = 0x25, Ja = 0x05, Call = 0x85, Exit = 0x95;
    private const int PseudoMapFd = 1;
    private const int AtomicAdd = 0x00;

    private readonly List<BpfInstruction> _code = [];
    private readonly Dictionary<string, int> _labels = [];
    private readonly List<(int At, string Label)> _jumps = [];

    public BpfAssembler MovImm(int dst, int imm) => Emit(BpfInstruction.Make(Mov64K, dst, immediate: imm));
    public BpfAssembler Mov(int dst, int src) => Emit(BpfInstruction.Make(Mov64X, dst, src));
    public BpfAssembler AddImm(int dst, int imm) => Emit(BpfInstruction.Make(Add64K, dst, immediate: imm));
    public BpfAssembler Add(int dst, int src) => Emit(BpfInstruction.Make(Add64X, dst, src));
    public BpfAssembler AndImm(int dst, int imm) => Emit(BpfInstruction.Make(And64K, dst, immediate: imm));
    public BpfAssembler LoadW(int dst, int src, short off) => Emit(BpfInstruction.Make(LdxW, dst, src, off));
    public BpfAssembler LoadDw(int dst, int src, short off) => Emit(BpfInstruction.Make(LdxDw, dst, src, off));
    public BpfAssembler StoreW(int dst, short off, int src) => Emit(BpfInstruction.Make(StxW, dst, src, off));
    public BpfAssembler StoreImmW(int dst, short off, int imm) => Emit(BpfInstruction.Make(StW, dst, offset: off, immediate: imm));
    public BpfAssembler AtomicAddDw(int dst, short off, int src) => Emit(BpfInstruction.Make(AtomicDw, dst, src, off, AtomicAdd));
    public BpfAssembler CallHelper(int helper) => Emit(BpfInstruction.Make(Call, immediate: helper));
    public BpfAssembler ExitProgram() => Emit(BpfInstruction.Make(Exit));

    /// <summary>A 64-bit immediate load (two instruction slots).</summary>
    public BpfAssembler LoadImm64(int dst, ulong value) =>
        Emit(BpfInstruction.Make(LdImmDw, dst, immediate: unchecked((int)(uint)value)))
            .Emit(BpfInstruction.Make(0, immediate: unchecked((int)(uint)(value >> 32))));

    /// <summary>Loads a map reference: the verifier replaces the fd with the map's address.</summary>
    public BpfAssembler LoadMap(int dst, int mapFd) =>
        Emit(BpfInstruction.Make(LdImmDw, dst, PseudoMapFd, immediate: mapFd)).Emit(BpfInstruction.Make(0));

    public BpfAssembler JumpIfEqual(int dst, int imm, string label) => Jump(BpfInstruction.Make(JeqK, dst, immediate: imm), label);
    public BpfAssembler JumpIfNotEqual(int dst, int imm, string label) => Jump(BpfInstruction.Make(JneK, dst, immediate: imm), label);
    public BpfAssembler JumpIfNotEqualReg(int dst, int src, string label) => Jump(BpfInstruction.Make(JneX, dst, src), label);
    public BpfAssembler JumpIfGreater(int dst, int imm, string label) => Jump(BpfInstruction.Make(JgtK, dst, immediate: imm), label);
    public BpfAssembler Goto(string label) => Jump(BpfInstruction.Make(Ja), label);

    public BpfAssembler Label(string name)
    {
        _labels.Add(name, _code.Count);
        return this;
    }

    public BpfInstruction[] Build()
    {
        var code = _code.ToArray();
        foreach (var (at, label) in _jumps)
        {
            var target = _labels.TryGetValue(label, out var t) ? t : throw new InvalidOperationException($"undefined label {label}");
            code[at] = code[at] with { Offset = checked((short)(target - at - 1)) };
        }
        return code;
    }

    private BpfAssembler Jump(BpfInstruction instruction, string label)
    {
        _jumps.Add((_code.Count, label));
        return Emit(instruction);
    }

    private BpfAssembler Emit(BpfInstruction instruction)
    {
        _code.Add(instruction);
        return this;
    }
}
