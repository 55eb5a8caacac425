namespace Portcullis.KernelLab.Tests;

/// <summary>The lab's test classes boot one at a time: two emulated VMs on two cores slow each other down more than they gain.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class KernelLabCollection
{
    public const string Name = "kernel lab";
}
