namespace Portcullis.Recorder.Launching;

/// <summary>What the launcher is to do, sent to it on file descriptor 3 as length-prefixed fields (<see cref="LaunchRequestCodec"/>).</summary>
public sealed record LaunchRequest
{
    public required LaunchMode Mode { get; init; }
    public required string Path { get; init; }
    public IReadOnlyList<string> Arguments { get; init; } = [];
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
    public string? WorkingDirectory { get; init; }

    /// <summary>Cgroup mode: the cgroup.procs file to write the launcher's pid to.</summary>
    public string? CgroupProcs { get; init; }

    /// <summary>Enforce and Complain modes: the seccomp profile as runtime-spec JSON.</summary>
    public string? SeccompProfileJson { get; init; }
}
