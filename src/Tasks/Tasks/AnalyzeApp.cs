using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Portcullis.Build.Tasks;

/// <summary>Predicts the syscalls of the paths the tests never take (<c>portcullis analyze</c>).</summary>
public sealed class AnalyzeApp : PortcullisToolTask
{
    [Required]
    public string PublishDirectory { get; set; } = "";

    [Required]
    [Output]
    public string Prediction { get; set; } = "";

    protected override MessageImportance StandardOutputLoggingImportance => MessageImportance.Low;

    protected override void AppendArguments(CommandLineBuilder builder)
    {
        builder.AppendSwitch("analyze");
        builder.AppendFileNameIfNotNull(PublishDirectory.TrimEnd('/'));
        builder.AppendSwitchIfNotNull("-o ", Prediction);
    }
}
