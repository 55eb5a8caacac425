using Portcullis.Runtime.Resources;

namespace Portcullis.Runtime.Tests;

public sealed class ProfileNamesTests
{
    [Theory]
    [InlineData("portcullis/sha256-aa.json", "sha256-aa")]
    [InlineData("portcullis/nnp/sha256-aa.json", "sha256-aa")]
    [InlineData("portcullis/nnp/nnp/sha256-aa.json", null)]
    [InlineData("portcullis/../sha256-aa.json", null)]
    [InlineData("portcullis/nnp/.json", null)]
    [InlineData("portcullis/.json", null)]
    [InlineData("other/sha256-aa.json", null)]
    [InlineData("portcullis/sha256-aa.yaml", null)]
    public void A_localhost_path_names_a_resource_only_in_the_two_shapes_the_webhook_writes(string path, string? resource) =>
        Assert.Equal(resource, ProfileNames.SeccompResourceOf(path));

    [Fact]
    public void Both_variants_of_a_resource_map_back_to_it() =>
        Assert.All(new[] { ProfileNames.SeccompLocalhost("sha256-ab"), ProfileNames.SeccompLocalhostNoNewPrivileges("sha256-ab") },
            p => Assert.Equal("sha256-ab", ProfileNames.SeccompResourceOf(p)));
}
