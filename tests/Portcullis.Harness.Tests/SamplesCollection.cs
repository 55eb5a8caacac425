namespace Portcullis.Harness.Tests;

/// <summary>The test classes that share one registry and one publish of each sample.</summary>
[CollectionDefinition(Name)]
public sealed class SamplesCollection : ICollectionFixture<SampleImagesFixture>
{
    public const string Name = "published samples";
}
