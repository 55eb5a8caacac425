using System.Text;
using Portcullis.Recorder.Native;

namespace Portcullis.Recorder.Ptrace;

/// <summary>Reads from a stopped tracee's memory with process_vm_readv, page by page so that a string ending near an unmapped page is still read.</summary>
internal static unsafe class TraceeMemory
{
    private const int PageSize = 4096;
    private const int MaxPath = 4096;

    public static string? ReadString(int pid, ulong address)
    {
        if (address == 0)
            return null;
        var buffer = stackalloc byte[PageSize];
        var result = new List<byte>(128);
        var at = address;
        while (result.Count < MaxPath)
        {
            var chunk = (int)(PageSize - (at % PageSize));
            var n = Read(pid, at, buffer, chunk);
            if (n <= 0)
                return result.Count == 0 ? null : Encoding.UTF8.GetString(result.ToArray());
            for (var i = 0; i < n; i++)
            {
                if (buffer[i] == 0)
                    return Encoding.UTF8.GetString(result.ToArray());
                result.Add(buffer[i]);
            }
            at += (ulong)n;
        }
        return Encoding.UTF8.GetString(result.ToArray());
    }

    public static byte[]? ReadBytes(int pid, ulong address, int length)
    {
        if (address == 0 || length <= 0)
            return null;
        var bytes = new byte[Math.Min(length, 256)];
        fixed (byte* p = bytes)
            return Read(pid, address, p, bytes.Length) == bytes.Length ? bytes : null;
    }

    private static int Read(int pid, ulong address, byte* into, int length)
    {
        var local = new Libc.IoVec { Base = into, Length = (nuint)length };
        var remote = new Libc.IoVec { Base = (void*)address, Length = (nuint)length };
        return (int)Libc.process_vm_readv(pid, &local, 1, &remote, 1, 0);
    }
}
