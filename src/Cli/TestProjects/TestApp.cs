using Portcullis.Recorder;

namespace Portcullis.Cli.TestProjects;

/// <summary>
/// How to run a built test project without `dotnet test`, so that the dotnet CLI, MSBuild and the test
/// platform's orchestration stay out of the recording. Microsoft.Testing.Platform apps (xunit.v3, MSTest,
/// NUnit and TUnit runners) are programs (<see cref="TestHostKind"/>): run them. VSTest projects only run inside a testhost that
/// vstest.console starts: run vstest.console on the assembly (its own start-up is recorded too).
/// </summary>
internal static class TestApp
{
    public static RecordRequest Request(string assembly, string? vstestConsole, BackendChoice backend, Action<long, int>? progress)
    {
        var full = Path.GetFullPath(assembly);
        if (!File.Exists(full))
            throw new Profiles.Diagnostics.ProfileException(Profiles.Diagnostics.Diagnostic.Error(Profiles.Diagnostics.DiagnosticId.FileNotFound, $"test assembly '{assembly}' does not exist; build the test project first"));
        var dir = Path.GetDirectoryName(full)!;
        var dotnet = DotnetHost();
        var template = Commands.TargetCommand.Request(["/bin/true"], backend, progress);
        if (TestHostKind.RunsAsProgram(full))
        {
            var apphost = Path.Combine(dir, Path.GetFileNameWithoutExtension(full));
            return File.Exists(apphost)
                ? template with { Path = apphost, Arguments = [], WorkingDirectory = dir }
                : template with { Path = dotnet, Arguments = ["exec", full], WorkingDirectory = dir };
        }
        if (vstestConsole is null || !File.Exists(vstestConsole))
            throw new Profiles.Diagnostics.ProfileException(Profiles.Diagnostics.Diagnostic.Error(Profiles.Diagnostics.DiagnosticId.FileNotFound, $"'{assembly}' is a VSTest project and vstest.console.dll was {(vstestConsole is null ? "not given" : $"not found at '{vstestConsole}'")}: give the SDK's with --vstest (<dotnet root>/sdk/<version>/vstest.console.dll)"));
        return template with { Path = dotnet, Arguments = ["exec", vstestConsole, full], WorkingDirectory = dir };
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host
            : Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";
}
