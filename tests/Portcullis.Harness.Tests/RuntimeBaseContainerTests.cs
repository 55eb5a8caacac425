using Portcullis.Profiles.Generation;
using Portcullis.RuntimeBaseProbe;
using Portcullis.Testing;

namespace Portcullis.Harness.Tests;

/// <summary>
/// The proven runtime parts of <see cref="ContainerRuntimeBase.For"/>, checked under the real runc and crun with a
/// trivial entrypoint (exit_group only, see <see cref="ExitZeroProgram"/>): a container allowed the entrypoint's
/// needs and the runtime's part starts as root and as 65534, and dropping any one name of the runtime's part (but
/// the flaky ones, which runc's Go threads make only now and then) kills it for at least one of the two users.
/// </summary>
public sealed class RuntimeBaseContainerTests
{
    private static readonly int[] Users = [0, 65534];

    [Theory]
    [InlineData("runc", true)]
    [InlineData("runc", false)]
    [InlineData("crun", true)]
    [InlineData("crun", false)]
    public void The_proven_runtime_part_starts_a_container_and_every_name_in_it_is_needed(string runtime, bool noNewPrivileges)
    {
        Requires.Root();
        using var bundle = new TrialBundle(Requires.Tool(runtime, runtime), runtime);
        var version = bundle.Version.Split(' ')[^1];
        var variant = ContainerRuntimeBase.For(runtime, version, noNewPrivileges);
        Assert.True(variant.Proven, $"{bundle.Version} has no proven row; run tools/RuntimeBaseProbe and add one to RuntimeBaseTable");
        var allowed = ExitZeroProgram.Needs.Union(variant.Names).ToList();

        foreach (var uid in Users)
            for (var i = 0; i < 3; i++)
                Assert.True(bundle.Starts(allowed, noNewPrivileges, uid, out var output), $"uid {uid}, run {i}: {output}");

        var notNeeded = variant.Names.Except(variant.Flaky)
            .Where(name => Users.All(uid => bundle.Starts(allowed.Where(n => n != name), noNewPrivileges, uid, out _)))
            .ToList();
        Assert.Empty(notNeeded);
    }
}
