using Xunit;

namespace Portcullis.Testing;

/// <summary>
/// A sample and its tests copied out of the repository into a folder of their own, as a user's solution
/// would be: its own Directory.Build.props and central package versions, a nuget.config whose first source
/// is the folder feed holding Portcullis.Build, and the app referencing the package (not our projects).
/// </summary>
public sealed class SampleWorkspace : IDisposable
{
    private SampleWorkspace(string root, string sample)
    {
        Root = root;
        Sample = sample;
    }

    public string Root { get; }
    public string Sample { get; }
    public string Project => Path.Combine(Root, Sample, Sample + ".csproj");
    public string PublishDirectory => Path.Combine(Root, Sample, "bin", "Release", "net10.0", "publish");
    public string ProfileDirectory(string? rid = null) => Path.Combine(Root, Sample, "bin", "Release", "net10.0", rid ?? "", "publish", "portcullis");

    public static SampleWorkspace Create(string sample, IReadOnlyDictionary<string, string>? extraPackages = null) =>
        Create(sample, [sample + ".Tests"], extraPackages);

    /// <summary>The sample with the given test projects of samples/ (e.g. Shelf with Shelf.NUnit.Tests).</summary>
    public static SampleWorkspace Create(string sample, IReadOnlyList<string> testProjects, IReadOnlyDictionary<string, string>? extraPackages = null)
    {
        var root = Directory.CreateTempSubdirectory("portcullis-ws-").FullName;
        foreach (var name in testProjects.Prepend(sample))
        {
            var from = Path.Combine(Repo.Root, "samples", name);
            if (Directory.Exists(from))
                Copy(from, Path.Combine(root, name));
        }
        File.WriteAllText(Path.Combine(root, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="portcullis" value="{PortcullisPackage.Feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(root, "Directory.Build.props"), """
            <Project>
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
            </Project>
            """);
        var versions = new Dictionary<string, string>(Repo.PackageVersions()) { ["Portcullis.Build"] = PortcullisPackage.Version };
        foreach (var (id, version) in extraPackages ?? new Dictionary<string, string>())
            versions[id] = version;
        File.WriteAllText(Path.Combine(root, "Directory.Packages.props"), $"""
            <Project>
              <PropertyGroup><ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally></PropertyGroup>
              <ItemGroup>
            {string.Concat(versions.Select(v => $"    <PackageVersion Include=\"{v.Key}\" Version=\"{v.Value}\" />\n"))}  </ItemGroup>
            </Project>
            """);
        var project = Path.Combine(root, sample, sample + ".csproj");
        File.WriteAllText(project, File.ReadAllText(project).Replace("</Project>", "  <ItemGroup>\n    <PackageReference Include=\"Portcullis.Build\" />\n  </ItemGroup>\n</Project>", StringComparison.Ordinal));
        return new SampleWorkspace(root, sample);
    }

    /// <summary>dotnet publish -t:PublishContainer to <paramref name="registry"/>, as the user runs it; the publish output is returned for the test to read.</summary>
    public string PublishContainer(LocalRegistry registry, string baseImage, string tag, params string[] extra)
    {
        var (code, output) = TryPublishContainer(registry, baseImage, tag, extra);
        Assert.True(code == 0, $"publishing {Sample} failed:\n{output}");
        return output;
    }

    public (int Code, string Output) TryPublishContainer(LocalRegistry registry, string baseImage, string tag, params string[] extra) =>
        Dotnet.Run(Root, new Dictionary<string, string> { ["DOTNET_CONTAINER_INSECURE_REGISTRIES"] = registry.Host },
        [
            "publish", Project, "-t:PublishContainer", "-c", "Release", "-nologo",
            $"-p:ContainerBaseImage={baseImage}", $"-p:ContainerRegistry={registry.Host}",
            $"-p:ContainerRepository=samples/{Sample.ToLowerInvariant()}", $"-p:ContainerImageTag={tag}", .. extra,
        ]);

    /// <summary>What the package recorded of one test project.</summary>
    public string Recording(string testProject) => Path.Combine(Root, Sample, "obj", "portcullis", "recordings", testProject + ".json");

    public void Dispose() => Directory.Delete(Root, recursive: true);

    private static void Copy(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.Split(Path.DirectorySeparatorChar)[0] is "bin" or "obj")
                continue;
            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
