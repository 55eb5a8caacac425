using Portcullis.Build.Tasks;

namespace Portcullis.Build.Tests;

public sealed class SelectTestTargetFrameworkTests
{
    private const string Net8 = ".NETCoreApp,Version=v8.0";
    private const string Net9 = ".NETCoreApp,Version=v9.0";
    private const string Net10 = ".NETCoreApp,Version=v10.0";

    [Theory]
    [InlineData(Net10, "net10.0")] // the app's own framework
    [InlineData(Net9, "net8.0")]   // none matches: the newest not newer than the app's
    [InlineData(".NETCoreApp,Version=v6.0", "net8.0")] // all newer: the oldest
    public void A_multi_targeted_test_project_is_recorded_for_the_framework_that_matches_the_app(string app, string expected) =>
        Assert.Equal(expected, SelectTestTargetFramework.Choose(["net8.0", "net10.0"], [Net8, Net10], app));

    [Fact]
    public void A_single_framework_test_project_is_built_as_it_is()
    {
        var item = new Microsoft.Build.Utilities.TaskItem("/src/App.Tests/App.Tests.csproj");
        item.SetMetadata("TargetFrameworks", "net10.0");
        item.SetMetadata("TargetFrameworkMonikers", Net10);
        var task = new SelectTestTargetFramework { BuildEngine = new RecordingBuildEngine(), TestProjects = [item], AppTargetFrameworkMoniker = Net10 };
        Assert.True(task.Execute());
        var selected = Assert.Single(task.Selected);
        Assert.Equal("", selected.GetMetadata("AdditionalProperties"));
        Assert.Equal("TargetFramework", selected.GetMetadata("UndefineProperties"));
    }
}
