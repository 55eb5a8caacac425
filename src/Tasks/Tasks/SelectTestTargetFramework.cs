using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Portcullis.Build.Tasks;

/// <summary>
/// For each test project (the items GetTargetFrameworks returns), the target framework to build and record it for:
/// none for a project with one; for a multi-targeted one the framework the app targets, else the newest .NET not
/// newer than the app's, else the oldest it has. Returned with <c>AdditionalProperties</c> (or, for one framework,
/// <c>UndefineProperties</c> of the publish's own TargetFramework) for the MSBuild task.
/// </summary>
public sealed class SelectTestTargetFramework : Microsoft.Build.Utilities.Task
{
    /// <summary>Items from the test projects' GetTargetFrameworks: TargetFrameworks, TargetFrameworkMonikers, HasSingleTargetFramework.</summary>
    [Required]
    public ITaskItem[] TestProjects { get; set; } = [];

    /// <summary>The app's TargetFrameworkMoniker, e.g. .NETCoreApp,Version=v10.0.</summary>
    [Required]
    public string AppTargetFrameworkMoniker { get; set; } = "";

    [Output]
    public ITaskItem[] Selected { get; private set; } = [];

    public override bool Execute()
    {
        var selected = new List<ITaskItem>();
        foreach (var project in TestProjects)
        {
            var item = new TaskItem(project.GetMetadata("MSBuildSourceProjectFile") is { Length: > 0 } source ? source : project.ItemSpec);
            var aliases = Split(project.GetMetadata("TargetFrameworks"));
            var monikers = Split(project.GetMetadata("TargetFrameworkMonikers"));
            if (aliases.Length > 1 && aliases.Length == monikers.Length)
            {
                var chosen = Choose(aliases, monikers, AppTargetFrameworkMoniker);
                item.SetMetadata("AdditionalProperties", "TargetFramework=" + chosen);
                Log.LogMessage(MessageImportance.High, "Portcullis: {0} targets {1}; recording it for {2}.", Path.GetFileName(item.ItemSpec), string.Join(", ", aliases), chosen);
            }
            else
            {
                // Not the app's framework from a publish with -f: the test project's own.
                item.SetMetadata("UndefineProperties", "TargetFramework");
            }
            selected.Add(item);
        }
        Selected = [.. selected];
        return true;
    }

    internal static string Choose(string[] aliases, string[] monikers, string app)
    {
        for (var i = 0; i < monikers.Length; i++)
        {
            if (string.Equals(monikers[i], app, StringComparison.OrdinalIgnoreCase))
                return aliases[i];
        }
        var appVersion = NetVersion(app);
        var candidates = monikers.Select((m, i) => (Alias: aliases[i], Version: NetVersion(m))).Where(c => c.Version is not null).ToList();
        var notNewer = candidates.Where(c => appVersion is not null && c.Version <= appVersion).OrderByDescending(c => c.Version).FirstOrDefault();
        if (notNewer.Alias is not null)
            return notNewer.Alias;
        return candidates.OrderBy(c => c.Version).Select(c => c.Alias).FirstOrDefault() ?? aliases[0];
    }

    private static Version? NetVersion(string moniker)
    {
        const string prefix = ".NETCoreApp,Version=v";
        return moniker.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && Version.TryParse(moniker.AsSpan(prefix.Length), out var v) ? v : null;
    }

    private static string[] Split(string value) =>
        value.Split([';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
