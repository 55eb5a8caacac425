namespace Portcullis.Build.Tests;

/// <summary>
/// The package's targets, evaluated by the real MSBuild in an app project (not a test project, where the SDK would
/// define VSTestConsolePath itself): the vstest.console.dll they find must exist. A property the SDK does not define
/// (such as NetCoreSdkRoot) evaluates to empty and makes a path relative to the project: this fails then.
/// </summary>
public sealed class VstestResolutionTests
{
    [Fact]
    public void The_targets_find_the_SDKs_vstest_console_in_an_app_project()
    {
        var dir = Directory.CreateTempSubdirectory("portcullis-vstest-").FullName;
        try
        {
            var targets = Path.Combine(Repo.Root, "src", "Tasks", "build", "Portcullis.Build.targets");
            File.WriteAllText(Path.Combine(dir, "App.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
                  <Import Project="{targets}" />
                  <Target Name="ShowVstest" DependsOnTargets="_PortcullisResolveVstest">
                    <Message Importance="high" Text="VSTEST=$(_PortcullisVstest)" />
                  </Target>
                </Project>
                """);
            var (code, output) = Dotnet.Run(dir, "msbuild", "App.csproj", "-t:ShowVstest", "-nologo", "-v:m");
            Assert.True(code == 0, output);
            var path = System.Text.RegularExpressions.Regex.Match(output, "VSTEST=(.*)").Groups[1].Value.Trim();
            Assert.False(path.StartsWith(dir, StringComparison.Ordinal), path);
            Assert.True(File.Exists(path), $"'{path}' does not exist:\n{output}");
            Assert.Equal("vstest.console.dll", Path.GetFileName(path));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
