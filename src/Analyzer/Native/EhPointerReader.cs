using System.Buffers.Binary;

namespace Portcullis.Analyzer.Native;

/// <summary>
/// Reads DW_EH_PE-encoded pointers from .eh_frame_hdr. pcrel values are relative to the field's own address and
/// datarel ones to the header's start (the usual table encoding is datarel|sdata4).
/// </summary>
internal readonly ref struct EhPointerReader(ReadOnlySpan<byte> data, ulong address)
{
    public const byte Omit = 0xff;

    private readonly ReadOnlySpan<byte> data = data;

    public bool TryRead(ref int at, byte encoding, out ulong value)
    {
        value = 0;
        if (encoding == Omit)
            return true;
        var fieldAddress = address + (ulong)at;
        var rest = data[Math.Min(at, data.Length)..];
        long raw;
        int width;
        switch (encoding & 0x0f)
        {
            case 0x00 or 0x04 or 0x0c when rest.Length >= 8: raw = BinaryPrimitives.ReadInt64LittleEndian(rest); width = 8; break;
            case 0x02 when rest.Length >= 2: raw = BinaryPrimitives.ReadUInt16LittleEndian(rest); width = 2; break;
            case 0x03 when rest.Length >= 4: raw = BinaryPrimitives.ReadUInt32LittleEndian(rest); width = 4; break;
            case 0x0a when rest.Length >= 2: raw = BinaryPrimitives.ReadInt16LittleEndian(rest); width = 2; break;
            case 0x0b when rest.Length >= 4: raw = BinaryPrimitives.ReadInt32LittleEndian(rest); width = 4; break;
            default: return false; // LEB128 cannot appear in a table that is binary-searched, and truncation means a corrupt header.
        }
        at += width;
        value = (encoding & 0x70) switch
        {
            0x00 => (ulong)raw,
            0x10 => fieldAddress + (ulong)raw,
            0x30 => address + (ulong)raw,
            _ => (ulong)raw,
        };
        return (encoding & 0x70) is 0x00 or 0x10 or 0x30;
    }
}
