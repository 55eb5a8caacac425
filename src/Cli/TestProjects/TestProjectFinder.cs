using System.Text.RegularExpressions;

namespace Portcullis.Cli.TestProjects;

/// <summary>
/// The test projects of an app: every project under the app's repository (the nearest folder above it holding
/// a .sln, .slnx or .git) that references the app's project and is a test project (IsTestProject, or a
/// reference to Microsoft.NET.Test.Sdk, xunit, MSTest, NUnit or TUnit, or the MSTest.Sdk project SDK). Names do not matter: App.Tests,
/// App.UnitTests and tests/Api.IntegrationTests are all found. Bounded: depth 8, 5,000 project files.
/// </summary>
internal static partial class TestProjectFinder
{
    private static readonly string[] Skipped = ["bin", "obj", "node_modules", ".git", ".vs"];

    public static IReadOnlyList<string> For(string appProject)
    {
        var app = Path.GetFullPath(appProject);
        var root = RepositoryRoot(Path.GetDirectoryName(app)!);
        var found = new List<string>();
        foreach (var project in Projects(root).Take(5000))
        {
            if (string.Equals(project, app, StringComparison.Ordinal))
                continue;
            string text;
            try
            {
                text = File.ReadAllText(project);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            if (IsTestProject(text) && References(project, text, app))
                found.Add(project);
        }
        return found.Order(StringComparer.Ordinal).ToList();
    }

    private static bool IsTestProject(string text) =>
        TestMarker().IsMatch(text);

    private static bool References(string project, string text, string app) =>
        ProjectReference().Matches(text).Any(m =>
            string.Equals(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(project)!, m.Groups[1].Value.Replace('\\', '/'))), app, StringComparison.Ordinal));

    private static string RepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, ".git")) || dir.EnumerateFiles("*.sln").Any() || dir.EnumerateFiles("*.slnx").Any())
                return dir.FullName;
        }
        return Path.GetDirectoryName(start) ?? start;
    }

    private static IEnumerable<string> Projects(string root)
    {
        var pending = new Stack<(string Dir, int Depth)>();
        pending.Push((root, 0));
        while (pending.TryPop(out var current))
        {
            IEnumerable<string> files, dirs;
            try
            {
                files = Directory.EnumerateFiles(current.Dir, "*.*proj").Where(f => f.EndsWith(".csproj", StringComparison.Ordinal) || f.EndsWith(".fsproj", StringComparison.Ordinal) || f.EndsWith(".vbproj", StringComparison.Ordinal)).ToList();
                dirs = current.Depth < 8 ? Directory.EnumerateDirectories(current.Dir).Where(d => !Skipped.Contains(Path.GetFileName(d))).ToList() : [];
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            foreach (var f in files)
                yield return f;
            foreach (var d in dirs)
                pending.Push((d, current.Depth + 1));
        }
    }

    [GeneratedRegex(@"<ProjectReference\s+Include\s*=\s*""([^""]+)""", RegexOptions.IgnoreCase)]
    private static partial Regex ProjectReference();

    [GeneratedRegex(@"<IsTestProject>\s*true\s*</IsTestProject>|Include\s*=\s*""(Microsoft\.NET\.Test\.Sdk|xunit|xunit\.v3|MSTest|MSTest\.TestFramework|NUnit|TUnit)""|Sdk\s*=\s*""MSTest\.Sdk(/[^""]*)?""", RegexOptions.IgnoreCase)]
    private static partial Regex TestMarker();
}
