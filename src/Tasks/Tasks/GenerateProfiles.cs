using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Portcullis.Build.Tasks;

/// <summary>
/// Generates seccomp.json, apparmor.profile and report.md for one RID (<c>portcullis generate</c>) from the recordings,
/// the prediction and the base lists (the targets name them as PortcullisProfile items, kept by incremental publishes too).
/// </summary>
public sealed class GenerateProfiles : PortcullisToolTask
{
    [Required]
    public string OutputDirectory { get; set; } = "";

    [Required]
    public string RuntimeIdentifier { get; set; } = "";

    [Required]
    public string ProfileName { get; set; } = "";

    /// <summary>recording.json files; <c>Label</c> metadata (default: the file name) names them in the report.</summary>
    public ITaskItem[] Recordings { get; set; } = [];

    public string? Prediction { get; set; }

    public string? Previous { get; set; }

    public ITaskItem[] AllowSyscalls { get; set; } = [];

    public ITaskItem[] DenySyscalls { get; set; } = [];

    public ITaskItem[] WritablePaths { get; set; } = [];

    public bool AllowIoUring { get; set; }

    protected override void AppendArguments(CommandLineBuilder builder)
    {
        builder.AppendSwitch("generate");
        builder.AppendSwitchIfNotNull("--arch ", RuntimeIdentifier);
        builder.AppendSwitchIfNotNull("--name ", ProfileName);
        builder.AppendSwitchIfNotNull("-o ", OutputDirectory.TrimEnd('/'));
        if (!string.IsNullOrEmpty(Previous) && File.Exists(Previous))
            builder.AppendSwitchIfNotNull("--previous ", Previous);
        if (AllowIoUring)
            builder.AppendSwitch("--allow-io-uring");
        if (!string.IsNullOrEmpty(Prediction))
            builder.AppendSwitchIfNotNull("--prediction ", Prediction);
        foreach (var recording in Recordings)
        {
            var label = recording.GetMetadata("Label");
            builder.AppendSwitchIfNotNull("--recording ", recording.GetMetadata("FullPath") + "=" + (label.Length > 0 ? label : recording.GetMetadata("Filename")));
        }
        foreach (var name in AllowSyscalls)
            builder.AppendSwitchIfNotNull("--allow ", name.ItemSpec);
        foreach (var name in DenySyscalls)
            builder.AppendSwitchIfNotNull("--deny ", name.ItemSpec);
        foreach (var path in WritablePaths)
            builder.AppendSwitchIfNotNull("--writable ", path.ItemSpec);
    }
}
