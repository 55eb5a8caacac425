using Portcullis.Profiles.Generation;

namespace Portcullis.Profiles.Tests.Generation;

public sealed class ContainerRuntimeBaseTests
{
    [Theory]
    [InlineData("runc", "1.1.5+ds1", true)]
    [InlineData("runc", "1.1.5", false)]
    [InlineData("crun", "1.8.1", true)]
    [InlineData("CRUN", "1.8.1", false)]
    public void A_probed_runtime_version_gets_its_proven_set_smaller_than_the_union(string runtime, string version, bool nnp)
    {
        var variant = ContainerRuntimeBase.For(runtime, version, nnp);

        Assert.True(variant.Proven);
        Assert.Equal(nnp, variant.NoNewPrivileges);
        Assert.Contains("execve", variant.Names);
        Assert.Subset(ContainerRuntimeBase.Names.ToHashSet(), variant.Names.ToHashSet());
        Assert.True(variant.Names.Count < ContainerRuntimeBase.Names.Count);
        Assert.Subset(variant.Names.ToHashSet(), variant.Flaky.ToHashSet());
    }

    [Theory]
    [InlineData("runc", "1.4.2")]
    [InlineData("crun", "1.26")]
    [InlineData("youki", "0.5.0")]
    [InlineData("runc", "")]
    public void Any_other_runtime_or_version_gets_the_union_marked_unproven(string runtime, string version)
    {
        foreach (var nnp in new[] { true, false })
        {
            var variant = ContainerRuntimeBase.For(runtime, version, nnp);

            Assert.False(variant.Proven);
            Assert.Same(ContainerRuntimeBase.Names, variant.Names);
        }
    }

    [Theory]
    [InlineData("runc", "1.1.5")]
    [InlineData("crun", "1.8.1")]
    public void With_no_new_privs_the_runtime_needs_a_subset_of_what_it_needs_without(string runtime, string version) =>
        Assert.Subset(
            ContainerRuntimeBase.For(runtime, version, noNewPrivileges: false).Names.ToHashSet(),
            ContainerRuntimeBase.For(runtime, version, noNewPrivileges: true).Names.ToHashSet());
}
