using System.Runtime.InteropServices;

namespace Portcullis.Runtime.NodeAgent;

/// <summary>fsync(2) on a directory, which .NET cannot open as a stream: makes a rename in it durable.</summary>
internal static partial class DirectorySync
{
    private const int ReadOnly = 0, Directory = 0x10000, NoFollow = 0x20000, CloseOnExec = 0x80000;

    public static void Flush(string path)
    {
        var fd = Open(path, ReadOnly | Directory | NoFollow | CloseOnExec);
        if (fd < 0)
            throw new IOException($"{path}: cannot open the directory to sync it (errno {Marshal.GetLastPInvokeError()})");
        try
        {
            if (Fsync(fd) != 0)
                throw new IOException($"{path}: fsync failed (errno {Marshal.GetLastPInvokeError()})");
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
