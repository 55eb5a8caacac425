using Portcullis.Profiles.Seccomp;
using Portcullis.Profiles.Tests.Support;

namespace Portcullis.Profiles.Tests.Seccomp;

public sealed class DockerProfileResolverTests
{
    private static readonly SeccompProfile Docker = Load.OneSeccomp(Repo.Data("seccomp/docker-default.json"));

    [Fact]
    public void Embedded_reference_is_the_shared_test_file() => Assert.Equal(Docker, ReferenceProfiles.DockerDefault);

    [Fact]
    public void On_amd64_with_default_caps_docker_allows_306_syscalls_and_3_conditionally()
    {
        // Measured with this resolver; moby's docs quote a different total because they count across architectures.
        var view = EffectiveView.Of(DockerProfileResolver.Resolve(Docker, DockerTarget.Host(SeccompArch.X86_64) with { Kernel = new Version(6, 18) }), SeccompArch.X86_64);
        Assert.Equal(306, view.Allowed().Count());
        Assert.Equal(["clone", "personality", "socket"], view.ConditionallyAllowed());
    }

    [Fact]
    public void Architectures_come_from_the_arch_map()
    {
        var arm = DockerProfileResolver.Resolve(Docker, DockerTarget.Host(SeccompArch.Aarch64));
        Assert.Equal([SeccompArch.Aarch64, SeccompArch.Arm], arm.Architectures);
        Assert.False(arm.UsesDockerExtensions);
    }

    [Fact]
    public void Capabilities_switch_rules_on_and_off()
    {
        var plain = EffectiveView.Of(DockerProfileResolver.Resolve(Docker, DockerTarget.Host(SeccompArch.X86_64)), SeccompArch.X86_64);
        var admin = EffectiveView.Of(DockerProfileResolver.Resolve(Docker, DockerTarget.Host(SeccompArch.X86_64) with { Capabilities = [.. DockerTarget.DefaultCapabilities, "CAP_SYS_ADMIN"] }), SeccompArch.X86_64);
        Assert.True(plain.For("mount").UsesDefault);
        Assert.Equal(SeccompAction.Allow, admin.For("mount").Unconditional);
        Assert.Equal(SeccompAction.Allow, admin.For("clone").Unconditional);
        Assert.Null(plain.For("clone").Unconditional);
    }

    [Fact]
    public void Min_kernel_is_honoured()
    {
        var old = EffectiveView.Of(DockerProfileResolver.Resolve(Docker, DockerTarget.Host(SeccompArch.X86_64) with { Kernel = new Version(4, 4) }), SeccompArch.X86_64);
        Assert.True(old.For("copy_file_range").UsesDefault || old.For("statx").UsesDefault || old.Allowed().Count() < 306);
    }
}
