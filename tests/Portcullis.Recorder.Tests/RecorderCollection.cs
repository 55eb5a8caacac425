namespace Portcullis.Recorder.Tests;

/// <summary>Recorder tests run one at a time: the timing-sensitive ones (cancellation) and the cgroup clean-up check need a quiet machine.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RecorderCollection
{
    public const string Name = "recorder";
}
