using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Portcullis.Build.Tasks;

/// <summary>The test projects of the app's repository that reference the app (<c>portcullis tests-of</c>).</summary>
public sealed class FindTestProjects : PortcullisToolTask
{
    private readonly List<ITaskItem> found = [];

    [Required]
    public string AppProject { get; set; } = "";

    [Output]
    public ITaskItem[] TestProjects => [.. found];

    protected override MessageImportance StandardOutputLoggingImportance => MessageImportance.Low;

    protected override void AppendArguments(CommandLineBuilder builder)
    {
        builder.AppendSwitch("tests-of");
        builder.AppendFileNameIfNotNull(AppProject);
    }

    protected override void OnOutputLine(string line, MessageImportance importance)
    {
        var path = line.Trim();
        if (Path.IsPathRooted(path) && File.Exists(path))
            found.Add(new TaskItem(path));
        else
            base.OnOutputLine(line, importance);
    }
}
