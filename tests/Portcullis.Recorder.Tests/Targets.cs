using Portcullis.Recorder.Launching;

namespace Portcullis.Recorder.Tests;

/// <summary>The launcher and the programs the tests record.</summary>
internal static class Targets
{
    public static LauncherCommand Launcher { get; } = LauncherCommand.ForAssembly(Path.Combine(AppContext.BaseDirectory, "portcullis.dll"));

    public static string Workload { get; } = Path.Combine(AppContext.BaseDirectory, "Portcullis.Workload.dll");

    public static string Dotnet { get; } = Launcher.Executable;

    public static RecordRequest Request(BackendChoice backend, string path, params string[] args) => new()
    {
        Path = path,
        Arguments = args,
        Backend = backend,
        Launcher = Launcher,
    };

    public static Task<RecordResult> Record(BackendChoice backend, string path, params string[] args) =>
        Recorder.RecordAsync(Request(backend, path, args), TestContext.Current.CancellationToken);

    public static Task<RecordResult> RecordWorkload(BackendChoice backend, params string[] args) =>
        Record(backend, Dotnet, ["exec", Workload, .. args]);

    public static HashSet<string> Names(RecordResult r, Profiles.Seccomp.SeccompArch arch = Profiles.Seccomp.SeccompArch.X86_64) =>
        r.Recording.Syscalls.Where(s => s.Architecture == arch && s.Name is not null).Select(s => s.Name!).ToHashSet(StringComparer.Ordinal);

    /// <summary>A 64-bit program that calls getpid through int 0x80 (the i386 entry; 20 is writev in the 64-bit table) and exits with 7.</summary>
    public static string Int80From64BitProgram()
    {
        var path = Path.Combine(Path.GetTempPath(), "portcullis-int80-" + Guid.NewGuid().ToString("N")[..8]);
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
    public static string I386Program()
    {
        var path = Path.Combine(Path.GetTempPath(), "portcullis-i386-" + Guid.NewGuid().ToString("N")[..8]);
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
