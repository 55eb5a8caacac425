namespace Portcullis.RuntimeBaseProbe;

/// <summary>
/// The trivial entrypoint: a 129-byte static x86-64 ELF that calls exit_group(0) and nothing else, so whatever
/// else a container with it needs under its seccomp filter is the runtime's.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public static class ExitZeroProgram
{
    /// <summary>What the entrypoint itself makes after execve returns.</summary>
    public static IReadOnlyList<string> Needs { get; } = ["exit_group"];

    public static void Write(string path)
    {
        byte[] code = [0xb8, 231, 0, 0, 0, 0x31, 0xff, 0x0f, 0x05]; // mov eax, 231; xor edi, edi; syscall
        var size = 64 + 56 + code.Length;
        using (var w = new BinaryWriter(File.Create(path)))
        {
            w.Write([0x7f, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            w.Write((ushort)2); w.Write((ushort)0x3e); w.Write(1u); w.Write(0x400078ul); w.Write(64ul); w.Write(0ul); w.Write(0u);
            w.Write((ushort)64); w.Write((ushort)56); w.Write((ushort)1); w.Write((ushort)0); w.Write((ushort)0); w.Write((ushort)0);
            w.Write(1u); w.Write(5u); w.Write(0ul); w.Write(0x400000ul); w.Write(0x400000ul); w.Write((ulong)size); w.Write((ulong)size); w.Write(0x1000ul);
            w.Write(code);
        }
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
    }
}
