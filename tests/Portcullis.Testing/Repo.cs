using Xunit;

namespace Portcullis.Testing;

/// <summary>Paths of the repository and of the shared test data beside it (../shared/testdata).</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string TestData { get; } = Path.GetFullPath(Path.Combine(Root, "..", "shared", "testdata"));

    public static string Data(string relative)
    {
        var path = Path.Combine(TestData, relative);
        Assert.True(File.Exists(path), $"missing test data {path}: the shared/ folder must sit beside the repository");
        return path;
    }

    /// <summary>The package versions the repository pins (Directory.Packages.props), for copies of the samples.</summary>
    public static IReadOnlyDictionary<string, string> PackageVersions()
    {
        var doc = System.Xml.Linq.XDocument.Load(Path.Combine(Root, "Directory.Packages.props"));
        return doc.Descendants("PackageVersion").ToDictionary(e => (string)e.Attribute("Include")!, e => (string)e.Attribute("Version")!);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BuildTools.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("BuildTools.sln not found above " + AppContext.BaseDirectory);
    }
}
