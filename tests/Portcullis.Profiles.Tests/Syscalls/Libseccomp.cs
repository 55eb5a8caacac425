using System.Runtime.InteropServices;

namespace Portcullis.Profiles.Tests.Syscalls;

/// <summary>The machine's libseccomp, called directly, as the reference the generated table is checked against.</summary>
internal static partial class Libseccomp
{
    private const string Library = "libseccomp.so.2";

    [LibraryImport(Library, EntryPoint = "seccomp_arch_resolve_name", StringMarshalling = StringMarshalling.Utf8)]
    public static partial uint ArchResolveName(string name);

    [LibraryImport(Library, EntryPoint = "seccomp_syscall_resolve_name_arch", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ResolveNameArch(uint archToken, string name);

    [LibraryImport(Library, EntryPoint = "seccomp_syscall_resolve_num_arch")]
    public static partial IntPtr ResolveNumArch(uint archToken, int number);

    [LibraryImport("libc.so.6", EntryPoint = "free")]
    public static partial void Free(IntPtr pointer);

    public static string? NameOf(uint archToken, int number)
    {
        var p = ResolveNumArch(archToken, number);
        if (p == IntPtr.Zero)
            return null;
        try
        {
            return Marshal.PtrToStringUTF8(p);
        }
        finally
        {
            Free(p);
        }
    }
}
