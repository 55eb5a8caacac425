using System.Runtime.InteropServices;

namespace Portcullis.Recorder.Native;

/// <summary>libseccomp (libseccomp.so.2), the library runc and crun compile profiles with.</summary>
internal static unsafe partial class Libseccomp
{
    private const string Lib = "libseccomp.so.2";

    public const uint SCMP_ACT_KILL_PROCESS = 0x80000000;
    public const uint SCMP_ACT_KILL_THREAD = 0x00000000;
    public const uint SCMP_ACT_TRAP = 0x00030000;
    public const uint SCMP_ACT_ERRNO = 0x00050000;
    public const uint SCMP_ACT_TRACE = 0x7ff00000;
    public const uint SCMP_ACT_LOG = 0x7ffc0000;
    public const uint SCMP_ACT_ALLOW = 0x7fff0000;
    public const uint SCMP_ACT_NOTIFY = 0x7fc00000;

    [StructLayout(LayoutKind.Sequential)]
    public struct ArgCmp
    {
        public uint Arg;
        public int Op;
        public ulong DatumA;
        public ulong DatumB;
    }

    [LibraryImport(Lib)]
    public static partial IntPtr seccomp_init(uint defaultAction);

    [LibraryImport(Lib)]
    public static partial void seccomp_release(IntPtr ctx);

    [LibraryImport(Lib)]
    public static partial int seccomp_arch_add(IntPtr ctx, uint archToken);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial uint seccomp_arch_resolve_name(string name);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int seccomp_syscall_resolve_name(string name);

    [LibraryImport(Lib)]
    public static partial int seccomp_rule_add_array(IntPtr ctx, uint action, int syscall, uint argCount, ArgCmp* args);

    [LibraryImport(Lib)]
    public static partial int seccomp_load(IntPtr ctx);
}
