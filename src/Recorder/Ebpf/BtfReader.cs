using System.Buffers.Binary;
using System.Text;

namespace Portcullis.Recorder.Ebpf;

/// <summary>
/// Reads the kernel's BTF (/sys/kernel/btf/vmlinux, format of linux/btf.h) far enough to find type ids by
/// kind and name, such as the FUNC bpf_lsm_capable that an LSM program attaches to, and the byte offsets of
/// the struct members a program reads (thread_info.status). Types are numbered from 1 in file order; each
/// kind is followed by data whose size the kind and its vlen decide.
/// </summary>
internal sealed class BtfReader
{
    public const int KindFunc = 12;
    private const int KindStruct = 4;

    // The structs whose members programs read; others are skipped, as the kernel's BTF has tens of thousands.
    private static readonly HashSet<string> StructsRead = new(StringComparer.Ordinal) { "task_struct", "thread_info" };
    private const ushort Magic = 0xeB9F;

    private readonly Dictionary<(int Kind, string Name), int> _ids = [];
    private readonly Dictionary<(string Struct, string Member), int> _offsets = [];

    private BtfReader(byte[] data)
    {
        if (data.Length < 24 || BinaryPrimitives.ReadUInt16LittleEndian(data) != Magic)
            throw new RecorderException("not a BTF file (bad magic)");
        var headerLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(4));
        var typeOffset = headerLength + (int)BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(8));
        var typeLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(12));
        var stringOffset = headerLength + (int)BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(16));
        var stringLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(20));
        var strings = data.AsSpan(stringOffset, stringLength);

        var at = typeOffset;
        var end = typeOffset + typeLength;
        for (var id = 1; at + 12 <= end; id++)
        {
            var nameOffset = (int)BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(at));
            var info = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(at + 4));
            var kind = (int)((info >> 24) & 0x1f);
            var vlen = (int)(info & 0xffff);
            if (nameOffset != 0 && kind == KindFunc)
                _ids.TryAdd((kind, Name(strings, nameOffset)), id);
            if (nameOffset != 0 && kind == KindStruct && StructsRead.Contains(Name(strings, nameOffset)))
            {
                var structName = Name(strings, nameOffset);
                var bitfields = (info & 0x80000000) != 0;
                for (var m = 0; m < vlen; m++)
                {
                    var member = data.AsSpan(at + 12 + 12 * m);
                    var memberName = (int)BinaryPrimitives.ReadUInt32LittleEndian(member);
                    var bits = BinaryPrimitives.ReadUInt32LittleEndian(member[8..]);
                    if (memberName != 0)
                        _offsets.TryAdd((structName, Name(strings, memberName)), (int)((bitfields ? bits & 0xffffff : bits) / 8));
                }
            }
            at += 12 + Trailing(kind, vlen);
        }
    }

    public static BtfReader Kernel() => new(ReadKernel());

    public static BtfReader FromBytes(byte[] data) => new(data);

    public int? FuncId(string name) => _ids.TryGetValue((KindFunc, name), out var id) ? id : null;

    /// <summary>The byte offset of <paramref name="member"/> in struct <paramref name="structName"/> (task_struct or thread_info), or null.</summary>
    public int? MemberOffset(string structName, string member) => _offsets.TryGetValue((structName, member), out var offset) ? offset : null;

    private static byte[] ReadKernel()
    {
        try
        {
            return File.ReadAllBytes("/sys/kernel/btf/vmlinux");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RecorderException("the kernel's BTF (/sys/kernel/btf/vmlinux) cannot be read: " + e.Message);
        }
    }

    // Bytes after the 12-byte btf_type for each kind (BTF_KIND_*).
    private static int Trailing(int kind, int vlen) => kind switch
    {
        1 => 4,                 // INT
        3 => 12,                // ARRAY
        4 or 5 => 12 * vlen,    // STRUCT, UNION
        6 => 8 * vlen,          // ENUM
        13 => 8 * vlen,         // FUNC_PROTO
        14 => 4,                // VAR
        15 => 12 * vlen,        // DATASEC
        17 => 4,                // DECL_TAG
        19 => 12 * vlen,        // ENUM64
        _ => 0,                 // PTR, FWD, TYPEDEF, VOLATILE, CONST, RESTRICT, FUNC, FLOAT, TYPE_TAG
    };

    private static string Name(ReadOnlySpan<byte> strings, int offset)
    {
        var s = strings[offset..];
        return Encoding.ASCII.GetString(s[..s.IndexOf((byte)0)]);
    }
}
