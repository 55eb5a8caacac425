using System.Runtime.InteropServices;

namespace Portcullis.Recorder.Ebpf;

/// <summary>struct bpf_insn: opcode, destination and source registers (4 bits each), offset, immediate.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
internal readonly record struct BpfInstruction(byte Code, byte Registers, short Offset, int Immediate)
{
    public static BpfInstruction Make(byte code, int dst = 0, int src = 0, short offset = 0, int immediate = 0) =>
        new(code, (byte)((src << 4) | (dst & 0xf)), offset, immediate);
}
