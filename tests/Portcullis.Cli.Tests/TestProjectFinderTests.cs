using Portcullis.Cli.TestProjects;

namespace Portcullis.Cli.Tests;

public sealed class TestProjectFinderTests
{
    [Fact]
    public void Test_projects_that_reference_the_app_are_found_whatever_their_names()
    {
        using var dir = new TempDir();
        void Project(string relative, string body)
        {
            var path = Path.Combine(dir.Path, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, $"<Project Sdk=\"Microsoft.NET.Sdk\">{body}</Project>");
        }
        File.WriteAllText(Path.Combine(dir.Path, "Shop.sln"), "");
        Project("src/Api/Api.csproj", "");
        Project("tests/Api.UnitTests/Api.UnitTests.csproj", """<ItemGroup><PackageReference Include="xunit.v3" /><ProjectReference Include="..\..\src\Api\Api.csproj" /></ItemGroup>""");
        Project("tests/Integration/Shop.IntegrationTests.fsproj", """<PropertyGroup><IsTestProject>true</IsTestProject></PropertyGroup><ItemGroup><ProjectReference Include="../../src/Api/Api.csproj" /></ItemGroup>""");
        File.WriteAllText(Path.Combine(dir.Path, "tests", "Api.SdkTests.csproj"), """<Project Sdk="MSTest.Sdk/4.5.3"><ItemGroup><ProjectReference Include="../src/Api/Api.csproj" /></ItemGroup></Project>""");
        Project("tests/Other.Tests/Other.Tests.csproj", """<ItemGroup><PackageReference Include="xunit.v3" /></ItemGroup>""");
        Project("src/Client/Client.csproj", """<ItemGroup><ProjectReference Include="../Api/Api.csproj" /></ItemGroup>""");
        Project("src/Api/bin/Debug/Stale.Tests.csproj", """<ItemGroup><PackageReference Include="xunit" /><ProjectReference Include="../../Api.csproj" /></ItemGroup>""");

        var found = TestProjectFinder.For(Path.Combine(dir.Path, "src", "Api", "Api.csproj")).Select(p => Path.GetRelativePath(dir.Path, p)).ToList();
        Assert.Equal(["tests/Api.SdkTests.csproj", "tests/Api.UnitTests/Api.UnitTests.csproj", "tests/Integration/Shop.IntegrationTests.fsproj"], found);
    }
}
