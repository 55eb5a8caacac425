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
}
