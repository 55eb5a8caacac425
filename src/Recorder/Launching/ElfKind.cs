namespace Portcullis.Recorder.Launching;

/// <summary>What an ELF file's header says it is (class and machine), to name what the kernel refused to run.</summary>
internal readonly record struct ElfKind(string Path, string Description)
{
    public static ElfKind? Of(string? path)
    {
        if (path is null)
            return null;
        Span<byte> header = stackalloc byte[20];
        try
        {
            using var file = File.OpenRead(path);
            if (file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length)
                return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        if (header[0] != 0x7f || header[1] != (byte)'E' || header[2] != (byte)'L' || header[3] != (byte)'F')
            return null;
        var bits = header[4] == 1 ? "32-bit" : header[4] == 2 ? "64-bit" : "unknown-class";
        var machine = (header[18] | (header[19] << 8)) switch
        {
            3 => "i386",
            0x3e => "x86-64",
            0x28 => "ARM",
            0xb7 => "AArch64",
            var m => $"machine {m}",
        };
        return new ElfKind(path, $"a {bits} {machine} ELF program");
    }
}
