namespace Portcullis.Testing;

/// <summary>
/// Hand-assembled programs for the recorder's architecture tests: their syscalls go through the i386 entry, which
/// only a kernel (and a CPU) that runs 32-bit code serves. The kernel lab's does on any host; this machine's may not.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public static class TinyPrograms
{
    /// <summary>A 64-bit program that calls getpid through int 0x80 (the i386 entry; 20 is writev in the 64-bit table) and exits with 7.</summary>
    public static string Int80From64Bit(string? directory = null)
    {
        var path = Path.Combine(directory ?? Path.GetTempPath(), "portcullis-int80-" + Guid.NewGuid().ToString("N")[..8]);
        byte[] code = [0xb8, 20, 0, 0, 0, 0xcd, 0x80, 0xb8, 231, 0, 0, 0, 0xbf, 7, 0, 0, 0, 0x0f, 0x05];
        var size = 64 + 56 + code.Length;
        using (var w = new BinaryWriter(File.Create(path)))
        {
            w.Write([0x7f, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            w.Write((ushort)2); w.Write((ushort)0x3e); w.Write(1u); w.Write(0x400078ul); w.Write(64ul); w.Write(0ul); w.Write(0u);
            w.Write((ushort)64); w.Write((ushort)56); w.Write((ushort)1); w.Write((ushort)0); w.Write((ushort)0); w.Write((ushort)0);
            w.Write(1u); w.Write(5u); w.Write(0ul); w.Write(0x400000ul); w.Write(0x400000ul); w.Write((ulong)size); w.Write((ulong)size); w.Write(0x1000ul);
            w.Write(code);
        }
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
        return path;
    }

    /// <summary>A 103-byte i386 program: getpid and exit(7) through int 0x80.</summary>
    public static string I386(string? directory = null)
    {
        var path = Path.Combine(directory ?? Path.GetTempPath(), "portcullis-i386-" + Guid.NewGuid().ToString("N")[..8]);
        byte[] code = [0xb8, 0x14, 0, 0, 0, 0xcd, 0x80, 0xb8, 1, 0, 0, 0, 0xbb, 7, 0, 0, 0, 0xcd, 0x80];
        var size = 52 + 32 + code.Length;
        using (var w = new BinaryWriter(File.Create(path)))
        {
            w.Write([0x7f, (byte)'E', (byte)'L', (byte)'F', 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            w.Write((ushort)2); w.Write((ushort)3); w.Write(1u); w.Write(0x08048054u); w.Write(52u); w.Write(0u); w.Write(0u);
            w.Write((ushort)52); w.Write((ushort)32); w.Write((ushort)1); w.Write((ushort)0); w.Write((ushort)0); w.Write((ushort)0);
            w.Write(1u); w.Write(0u); w.Write(0x08048000u); w.Write(0x08048000u); w.Write((uint)size); w.Write((uint)size); w.Write(5u); w.Write(0x1000u);
            w.Write(code);
        }
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
        return path;
    }
}
