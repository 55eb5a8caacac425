using Iced.Intel;

namespace Portcullis.Analyzer.Native;

/// <summary>
/// Values that <see cref="ConstantFlow"/> tracks besides plain constants, packed into the same <see langword="long"/>
/// so that a register's candidates stay one small array: the kind in the top byte, an address or offset in the low
/// 48 bits, the byte between them zero. A plain constant with that exact shape would be misread, which costs at most a
/// lookup that finds nothing (an address of that form is not in any slot table).
/// </summary>
internal static class SymbolicValue
{
    private const int KindShift = 56;
    private const ulong PayloadMask = (1UL << 48) - 1;
    private const ulong GapMask = 0xffUL << 48;

    public enum Kind : byte
    {
        /// <summary>A number or an address (what lea of a rip-relative operand gives).</summary>
        Constant = 0,

        /// <summary>What the 8 bytes at an absolute address hold: the pointer in a GOT or data slot.</summary>
        Contents = 0x51,

        /// <summary>An address in the stack frame: an offset from rsp at the function's entry, so rsp, rbp and lea agree.</summary>
        Stack = 0x52,

        /// <summary>The function's incoming argument n (rdi, rsi, rdx, rcx, r8, r9), for finding wrappers of dlsym.</summary>
        Param = 0x53,

        /// <summary>What dlsym returns for the C string at an address.</summary>
        DlsymName = 0x54,

        /// <summary>What dlsym returns for a name printed from the format string at an address (ICU's "u_strlen%s").</summary>
        DlsymFormat = 0x55,

        /// <summary>What dlsym returns for the name in the function's incoming argument n.</summary>
        DlsymParam = 0x56,

        /// <summary>The contents of a buffer that snprintf filled from the format string at an address.</summary>
        Formatted = 0x57,
    }

    public static readonly Register[] Arguments = [Register.RDI, Register.RSI, Register.RDX, Register.RCX, Register.R8, Register.R9];

    public static long Make(Kind kind, ulong payload) => (long)(((ulong)kind << KindShift) | (payload & PayloadMask));

    public static Kind KindOf(long value)
    {
        var raw = (ulong)value;
        var tag = (byte)(raw >> KindShift);
        return tag is >= (byte)Kind.Contents and <= (byte)Kind.Formatted && (raw & GapMask) == 0 ? (Kind)tag : Kind.Constant;
    }

    public static ulong Payload(long value) => (ulong)value & PayloadMask;

    public static bool Is(long value, Kind kind, out ulong payload)
    {
        payload = Payload(value);
        return KindOf(value) == kind;
    }

    /// <summary>An address in the stack frame, as an offset from rsp at the function's entry (the return address's slot).</summary>
    public static long StackAddress(long offset) => Make(Kind.Stack, (uint)(int)Math.Clamp(offset, int.MinValue, int.MaxValue));

    public static long StackOffset(long value) => (int)(uint)Payload(value);

    public static long OffsetStack(long value, long by) => StackAddress(StackOffset(value) + by);
}
