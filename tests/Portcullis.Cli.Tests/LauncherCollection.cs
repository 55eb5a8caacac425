namespace Portcullis.Cli.Tests;

/// <summary>Tests that set the launcher override run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LauncherCollection
{
    public const string Name = "launcher";
}
