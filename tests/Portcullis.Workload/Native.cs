using System.Runtime.InteropServices;

namespace Portcullis.Workload;

internal static partial class Native
{
    [LibraryImport("libc")]
    public static partial int uname(byte[] buffer);

    [LibraryImport("libc")]
    public static partial long syscall(long number);
}
