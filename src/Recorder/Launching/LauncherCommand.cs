namespace Portcullis.Recorder.Launching;

/// <summary>
/// How to start this program again in launcher mode: the executable and the arguments before
/// <see cref="Verb"/>. For `dotnet portcullis.dll` that is the dotnet host plus the assembly path.
/// </summary>
public sealed record LauncherCommand(string Executable, IReadOnlyList<string> Prefix)
{
    public const string Verb = "__launch";

    /// <summary>The running program, which must route <see cref="Verb"/> to <see cref="Launcher.Run"/>.</summary>
    public static LauncherCommand Current()
    {
        var process = Environment.ProcessPath ?? throw new InvalidOperationException("the process path is unknown");
        // `dotnet portcullis.dll`: re-run the host with the entry assembly (the first command-line argument is its path;
        // Assembly.Location would be empty in a single-file app). Anything else, an apphost or a single file, runs itself.
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? ForAssembly(Environment.GetCommandLineArgs()[0], process)
            : new LauncherCommand(process, []);
    }

    /// <summary>A framework-dependent assembly that routes <see cref="Verb"/> to the launcher (e.g. portcullis.dll).</summary>
    public static LauncherCommand ForAssembly(string assemblyPath, string? dotnetHost = null) =>
        new(dotnetHost ?? FindDotnet(), ["exec", assemblyPath]);

    private static string FindDotnet()
    {
        var root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        if (root is not null && File.Exists(Path.Combine(root, "dotnet")))
            return Path.Combine(root, "dotnet");
        if (Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet")
            return p;
        return (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':')
            .Select(d => Path.Combine(d, "dotnet")).FirstOrDefault(File.Exists) ?? "/usr/share/dotnet/dotnet";
    }
}
