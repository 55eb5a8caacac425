using System.Text;
using System.Text.Json.Nodes;
using k8s.Models;
using Portcullis.Profiles.Generation;
using Portcullis.Profiles.Seccomp;
using Portcullis.Runtime.Kubernetes;
using Portcullis.Runtime.Resources;

namespace Portcullis.Runtime.Tests;

/// <summary>
/// The agent writes each seccomp profile for its node's OCI runtime: two variants (without and with no_new_privs),
/// each with only the runtime-only names that runtime makes after loading the filter; an unknown runtime gets the
/// union and an Event on the node.
/// </summary>
public sealed class NodeAgentRuntimeVariantTests
{
    private static readonly string[] AppNames = ["exit_group", "futex", "read", "write"];
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    // A profile as the controller stores one from a generated artifact: canonical, the union of app and runtime base.
    private static readonly string Union = UntrustedSeccomp.Canonical(new SeccompProfile
    {
        DefaultAction = SeccompAction.Errno,
        Syscalls = [new SeccompRule { Names = [.. AppNames.Union(ContainerRuntimeBase.Names).Order(StringComparer.Ordinal)], Action = SeccompAction.Allow }],
    });

    private static SeccompProfileResource Resource(IEnumerable<string>? runtimeOnly)
    {
        var resource = AgentLab.Profile<SeccompProfileResource>("sha256-aa", Union);
        resource.Spec.ContainerRuntimeNames = runtimeOnly?.ToList();
        return resource;
    }

    private static List<string> RuntimeOnly => [.. ContainerRuntimeBase.Names.Except(AppNames)];

    private static HashSet<string> Allowed(string path) =>
        EffectiveView.Of(UntrustedSeccomp.Read(File.ReadAllBytes(path), path), SeccompArch.X86_64).Allowed().ToHashSet(StringComparer.Ordinal);

    private static string Nnp(AgentLab lab) => Path.Combine(lab.Root, "seccomp", "portcullis", "nnp", "sha256-aa.json");
    private static string Privileged(AgentLab lab) => Path.Combine(lab.Root, "seccomp", "portcullis", "sha256-aa.json");

    [Fact]
    public async Task On_a_runc_node_a_no_new_privs_container_gets_no_identity_switch_and_a_default_one_gets_runcs_part()
    {
        using var lab = new AgentLab(ociRuntime: "runc/1.1.5");
        await lab.Api.CreateAsync(Resource(RuntimeOnly), Cancel);
        await lab.SyncAsync();

        var union = EffectiveView.Of(UntrustedSeccomp.Read(Encoding.UTF8.GetBytes(Union), "union"), SeccompArch.X86_64).Allowed().ToHashSet();
        var nnp = Allowed(Nnp(lab));
        var privileged = Allowed(Privileged(lab));
        foreach (var name in new[] { "setuid", "setgid", "setgroups", "capset", "setresuid", "chdir" })
            Assert.DoesNotContain(name, nnp);
        foreach (var name in new[] { "setuid", "setgid", "setgroups", "capset", "chdir" })
            Assert.Contains(name, privileged);
        Assert.DoesNotContain("setresuid", privileged); // crun's, not runc's
        Assert.Superset(AppNames.ToHashSet(), nnp);
        Assert.Subset(union, privileged);
        Assert.Subset(privileged, nnp);
        Assert.Equal(ContainerRuntimeBase.For("runc", "1.1.5", true).Names.Union(AppNames).ToHashSet(), nnp);
        Assert.Empty(await lab.Api.ListAsync<Corev1Event>("default", cancel: Cancel));
        Assert.Equal(NodeState.Installed, Assert.Single(await lab.Api.ListAsync<ProfileNodeStatusResource>(cancel: Cancel)).Status.State);
    }

    [Fact]
    public async Task The_node_label_names_the_runtime_when_the_agent_is_not_told()
    {
        using var lab = new AgentLab(ociRuntime: null);
        var node = (await lab.Api.GetAsync<V1Node>(null, lab.Node, Cancel))!;
        node.Metadata.Labels[RuntimeNames.OciRuntimeLabel] = "crun-1.8.1";
        await lab.Api.ReplaceAsync(node, Cancel);
        await lab.Api.CreateAsync(Resource(RuntimeOnly), Cancel);
        await lab.SyncAsync();

        Assert.Equal(ContainerRuntimeBase.For("crun", "1.8.1", true).Names.Union(AppNames).ToHashSet(), Allowed(Nnp(lab)));
        Assert.Equal(ContainerRuntimeBase.For("crun", "1.8.1", false).Names.Union(AppNames).ToHashSet(), Allowed(Privileged(lab)));
        Assert.Empty(await lab.Api.ListAsync<Corev1Event>("default", cancel: Cancel));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("runc/1.4.2")]
    [InlineData("containerd://1.7.2")]
    public async Task An_unknown_runtime_gets_the_union_in_both_variants_and_one_Event_on_the_node(string? runtime)
    {
        using var lab = new AgentLab(ociRuntime: runtime);
        await lab.Api.CreateAsync(Resource(RuntimeOnly), Cancel);
        await lab.SyncAsync();
        await lab.SyncAsync();

        Assert.Equal(Union, File.ReadAllText(Privileged(lab)));
        Assert.Equal(Union, File.ReadAllText(Nnp(lab)));
        var warning = Assert.Single(await lab.Api.ListAsync<Corev1Event>("default", cancel: Cancel));
        Assert.Equal(("Warning", "ContainerRuntimeUnknown", "Node", lab.Node), (warning.Type, warning.Reason, warning.InvolvedObject.Kind, warning.InvolvedObject.Name));
        Assert.Contains("portable", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_profile_without_runtime_names_is_written_as_the_cluster_holds_it()
    {
        using var lab = new AgentLab(ociRuntime: "runc/1.1.5");
        await lab.Api.CreateAsync(Resource(null), Cancel);
        await lab.SyncAsync();

        Assert.Equal(Union, File.ReadAllText(Privileged(lab)));
        Assert.Equal(Union, File.ReadAllText(Nnp(lab)));
    }

    [Fact]
    public async Task Runtime_names_an_image_made_up_never_add_to_a_profile()
    {
        // The resource says ptrace and mount are the runtime's, and runc's own execve and openat, which the profile does
        // not allow; a claim can only take names out of the image's own profile (read: not runc's after the filter).
        using var lab = new AgentLab(ociRuntime: "runc/1.1.5");
        var resource = AgentLab.Profile<SeccompProfileResource>("sha256-aa", """{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["exit_group","getpid","read"],"action":"SCMP_ACT_ALLOW"}]}""");
        resource.Spec.ContainerRuntimeNames = ["ptrace", "mount", "execve", "openat", "read"];
        await lab.Api.CreateAsync(resource, Cancel);
        await lab.SyncAsync();

        Assert.Equal(["exit_group", "getpid"], Allowed(Nnp(lab)).Order(StringComparer.Ordinal));
        Assert.Equal(["exit_group", "getpid", "read"], Allowed(Privileged(lab)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_deleted_profile_loses_both_variants_and_uninstall_leaves_no_directory()
    {
        using var lab = new AgentLab(ociRuntime: "runc/1.1.5");
        await lab.Api.CreateAsync(Resource(RuntimeOnly), Cancel);
        await lab.SyncAsync();
        await lab.Api.DeleteAsync<SeccompProfileResource>(null, "sha256-aa", Cancel);
        await lab.SyncAsync();

        Assert.False(File.Exists(Nnp(lab)));
        Assert.False(File.Exists(Privileged(lab)));
        await lab.Agent.UninstallAsync(Cancel);
        Assert.False(Directory.Exists(Path.Combine(lab.Root, "seccomp", "portcullis")));
    }
}
