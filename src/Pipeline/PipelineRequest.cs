using Portcullis.Analyzer.Model;
using Portcullis.Profiles.Generation;
using Portcullis.Profiles.Seccomp;

namespace Portcullis.Pipeline;

/// <summary>Everything one generation reads, already loaded: the recordings, the analysis, the previous profile, and the user's choices.</summary>
public sealed record PipelineRequest
{
    public required string AppName { get; init; }
    public IReadOnlyList<LabeledRecording> Recordings { get; init; } = [];

    /// <summary>`portcullis analyze`'s prediction; null when no analysis ran.</summary>
    public Prediction? Prediction { get; init; }

    /// <summary>The previous publish's profile, for the report's changes.</summary>
    public GeneratedSeccomp? Previous { get; init; }

    public IReadOnlyList<SeccompArch> Targets { get; init; } = [];
    public IReadOnlyList<string> Allow { get; init; } = [];
    public IReadOnlyList<string> Deny { get; init; } = [];
    public bool AllowIoUring { get; init; }

    /// <summary>Leave out the .NET runtime base (for programs that are not .NET apps).</summary>
    public bool DotnetBase { get; init; } = true;

    /// <summary>Where the app lives in its container, and what it writes below besides /tmp and home: for the AppArmor profile.</summary>
    public string AppDirectory { get; init; } = "/app";
    public IReadOnlyList<string> Writable { get; init; } = [];

    /// <summary>Lines for the report's header.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
