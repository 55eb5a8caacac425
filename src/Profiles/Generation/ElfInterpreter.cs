using System.Buffers.Binary;
using System.Text;

namespace Portcullis.Profiles.Generation;

/// <summary>
/// The program interpreter (PT_INTERP, e.g. /lib64/ld-linux-x86-64.so.2) an ELF executable names, with every
/// symlink of every component resolved, as AppArmor sees it (/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2).
/// </summary>
public static class ElfInterpreter
{
    // realpath(3) in managed code: this library does not P/Invoke.
    private static string Resolved(string path)
    {
        var parts = new Queue<string>(path.Split('/', StringSplitOptions.RemoveEmptyEntries));
        var current = "/";
        for (var hops = 0; parts.TryDequeue(out var part) && hops < 40;)
        {
            if (part == ".")
                continue;
            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? "/";
                continue;
            }
            var next = Path.Combine(current, part);
            if (new FileInfo(next).LinkTarget is { } target)
            {
                hops++;
                var rest = parts.ToList();
                parts = new Queue<string>(target.Split('/', StringSplitOptions.RemoveEmptyEntries).Concat(rest));
                if (target.StartsWith('/'))
                    current = "/";
                continue;
            }
            current = next;
        }
        return current;
    }

    public static string? Of(string executable)
    {
        try
        {
            using var file = File.OpenRead(executable);
            var header = new byte[64];
            if (file.Read(header) < 52 || header[0] != 0x7f || header[1] != (byte)'E' || header[2] != (byte)'L' || header[3] != (byte)'F' || header[5] != 1)
                return null;
            var is64 = header[4] == 2;
            var phoff = is64 ? (long)BinaryPrimitives.ReadUInt64LittleEndian(header.AsSpan(32)) : BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(28));
            var phentsize = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(is64 ? 54 : 42));
            var phnum = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(is64 ? 56 : 44));
            var entry = new byte[phentsize];
            for (var i = 0; i < phnum && i < 64; i++)
            {
                file.Position = phoff + (long)i * phentsize;
                if (file.Read(entry) < phentsize || BinaryPrimitives.ReadUInt32LittleEndian(entry) != 3)
                    continue;
                var offset = is64 ? (long)BinaryPrimitives.ReadUInt64LittleEndian(entry.AsSpan(8)) : BinaryPrimitives.ReadUInt32LittleEndian(entry.AsSpan(4));
                var size = (int)Math.Min(4096, is64 ? (long)BinaryPrimitives.ReadUInt64LittleEndian(entry.AsSpan(32)) : BinaryPrimitives.ReadUInt32LittleEndian(entry.AsSpan(16)));
                var name = new byte[size];
                file.Position = offset;
                var read = file.Read(name);
                var path = Encoding.UTF8.GetString(name, 0, read).TrimEnd('\0');
                return Resolved(path);
            }
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
