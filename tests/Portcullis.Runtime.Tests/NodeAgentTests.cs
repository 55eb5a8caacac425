using k8s.Models;
using Portcullis.Runtime.Resources;

namespace Portcullis.Runtime.Tests;

/// <summary>The node agent writing into a temporary root: atomic writes, unchanged content left alone, deletes, crashes, hostile names.</summary>
public sealed class NodeAgentTests : IDisposable
{
    private const string Profile = """{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW"}]}""";
    private readonly AgentLab _lab = new();
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Profiles_are_written_with_their_final_mode_reported_installed_and_the_node_is_labelled_ready()
    {
        await _lab.Api.CreateAsync(AgentLab.Profile<SeccompProfileResource>("sha256-aa", Profile), Cancel);
        var result = await _lab.SyncAsync();

        var file = Path.Combine(_lab.Root, "seccomp", "portcullis", "sha256-aa.json");
        Assert.Equal(Profile, File.ReadAllText(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(file));
        Assert.Equal(["sha256-aa.json"], Directory.GetFiles(Path.GetDirectoryName(file)!).Select(Path.GetFileName));
        Assert.Equal(1, result.Written);
        var status = Assert.Single(await _lab.Api.ListAsync<ProfileNodeStatusResource>(cancel: Cancel));
        Assert.Equal((NodeState.Installed, "node-a", "sha256-aa"), (status.Status.State, status.Spec.NodeName, status.Spec.ProfileName));
        Assert.Equal("node-a", Assert.Single(status.Metadata.OwnerReferences).Name);
        var node = await _lab.Api.GetAsync<V1Node>(null, "node-a", Cancel);
        Assert.Equal("true", node!.Metadata.Labels["portcullis.dev/agent-ready"]);
        Assert.Equal("node-a", node.Metadata.Labels["kubernetes.io/hostname"]);
    }

    [Fact]
    public async Task Unchanged_content_is_not_rewritten_and_nothing_is_reported_again()
    {
        await _lab.Api.CreateAsync(AgentLab.Profile<SeccompProfileResource>("sha256-aa", Profile), Cancel);
        await _lab.SyncAsync();
        var file = Path.Combine(_lab.Root, "seccomp", "portcullis", "sha256-aa.json");
        var inode = Inode(file);
        _lab.Api.Calls.Clear();

        var again = await _lab.NewAgent().SyncAsync(Cancel);
        Assert.Equal((0, 0), (again.Written, again.Reported));
        Assert.Equal(inode, Inode(file));
        Assert.DoesNotContain(_lab.Api.Calls, c => c.StartsWith("create", StringComparison.Ordinal) || c.StartsWith("replace", StringComparison.Ordinal) || c.StartsWith("patch", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_deleted_profile_loses_its_file_and_status_and_a_file_removed_by_hand_comes_back()
    {
        await _lab.Api.CreateAsync(AgentLab.Profile<SeccompProfileResource>("sha256-aa", Profile), Cancel);
        await _lab.Api.CreateAsync(AgentLab.Profile<SeccompProfileResource>("sha256-bb", Profile + " "), Cancel);
        await _lab.SyncAsync();
        File.Delete(_lab.Seccomp.PathOf("sha256-bb"));
        await _lab.Api.DeleteAsync<SeccompProfileResource>(null, "sha256-aa", Cancel);

        var result = await _lab.SyncAsync();
        Assert.Equal((1, 1), (result.Written, result.Removed));
        Assert.Equal(["sha256-bb"], _lab.Seccomp.Names());
        Assert.Equal(["sha256-bb"], (await _lab.Api.ListAsync<ProfileNodeStatusResource>(cancel: Cancel)).Select(s => s.Spec.ProfileName));
    }

    [Fact]
    public async Task A_crash_between_write_and_rename_leaves_a_temp_file_that_the_next_start_removes_and_the_sync_converges()
    {
        await _lab.Api.CreateAsync(AgentLab.Profile<SeccompProfileResource>("sha256-aa", Profile), Cancel);
        var dir = Path.Combine(_lab.Root, "seccomp", "portcullis");
        Directory.CreateDirectory(dir);
        // What a crash after write, before rename leaves: a complete temp file and a stale (older) target.
        File.WriteAllText(Path.Combine(dir, ".portcullis-tmp-sha256-aa-0123456789ab"), Profile);
        File.WriteAllText(Path.Combine(dir, "sha256-aa.json"), "{\"defaultAction\":\"SCMP_ACT_ALLOW\"}");

        var agent = _lab.NewAgent();
        Assert.Equal(1, agent.RemoveStaleTemps());
        await agent.SyncAsync(Cancel);
        Assert.Equal(["sha256-aa.json"], Directory.GetFiles(dir).Select(Path.GetFileName));
        Assert.Equal(Profile, File.ReadAllText(Path.Combine(dir, "sha256-aa.json")));
    }

    [Theory]
    [InlineData("../../etc/evil")]
    [InlineData("a/../../b")]
    [InlineData("..")]
    [InlineData("UPPER")]
    [InlineData("x..y")]
    [InlineData("sha256-aa\n")]
    public async Task Hostile_names_are_never_written_anywhere(string name)
    {
        await _lab.Api.CreateAsync(AgentLab.Profile<SeccompProfileResource>(name, Profile), Cancel);
        await _lab.SyncAsync();
        var written = Directory.GetFiles(_lab.Root, "*", SearchOption.AllDirectories);
        Assert.Empty(written);
        Assert.Throws<ArgumentException>(() => _lab.Seccomp.PathOf(name));
    }

    [Fact]
    public async Task A_symlink_planted_at_a_profile_path_is_replaced_and_its_target_is_not_touched()
    {
        var outside = Path.Combine(_lab.Root, "outside.txt");
        File.WriteAllText(outside, "precious");
        var dir = Path.Combine(_lab.Root, "seccomp", "portcullis");
        Directory.CreateDirectory(dir);
        File.CreateSymbolicLink(Path.Combine(dir, "sha256-aa.json"), outside);
        await _lab.Api.CreateAsync(AgentLab.Profile<SeccompProfileResource>("sha256-aa", Profile), Cancel);

        await _lab.SyncAsync();
        Assert.Equal("precious", File.ReadAllText(outside));
        Assert.Null(new FileInfo(Path.Combine(dir, "sha256-aa.json")).LinkTarget);
        Assert.Equal(Profile, File.ReadAllText(Path.Combine(dir, "sha256-aa.json")));
    }

    [Fact]
    public async Task A_profile_directory_that_is_a_symlink_is_refused_and_the_node_is_not_ready()
    {
        var elsewhere = Directory.CreateDirectory(Path.Combine(_lab.Root, "elsewhere")).FullName;
        Directory.CreateDirectory(Path.Combine(_lab.Root, "seccomp"));
        Directory.CreateSymbolicLink(Path.Combine(_lab.Root, "seccomp", "portcullis"), elsewhere);
        await _lab.Api.CreateAsync(AgentLab.Profile<SeccompProfileResource>("sha256-aa", Profile), Cancel);

        var result = await _lab.SyncAsync();
        Assert.Equal(1, result.Failed);
        Assert.Empty(Directory.GetFiles(elsewhere));
        var status = Assert.Single(await _lab.Api.ListAsync<ProfileNodeStatusResource>(cancel: Cancel));
        Assert.Equal(NodeState.Failed, status.Status.State);
        Assert.Contains("symbolic link", status.Status.Message, StringComparison.Ordinal);
        var node = await _lab.Api.GetAsync<V1Node>(null, "node-a", Cancel);
        Assert.False(node!.Metadata.Labels.ContainsKey("portcullis.dev/agent-ready"));
    }

    [Fact]
    public async Task Content_that_does_not_match_its_digest_is_not_installed()
    {
        var profile = AgentLab.Profile<SeccompProfileResource>("sha256-aa", Profile);
        profile.Spec.Content = "{\"defaultAction\":\"SCMP_ACT_ALLOW\"}";
        await _lab.Api.CreateAsync(profile, Cancel);
        await _lab.SyncAsync();
        Assert.Empty(_lab.Seccomp.Names());
        Assert.Equal(NodeState.Failed, Assert.Single(await _lab.Api.ListAsync<ProfileNodeStatusResource>(cancel: Cancel)).Status.State);
    }

    [Fact]
    public async Task AppArmor_is_Unsupported_without_it_and_loaded_once_with_it()
    {
        await _lab.Api.CreateAsync(AgentLab.Profile<AppArmorProfileResource>("sha256-cc", "profile portcullis-sha256-cc {\n  file,\n}\n"), Cancel);
        await _lab.SyncAsync();
        Assert.Equal(NodeState.Unsupported, Assert.Single(await _lab.Api.ListAsync<ProfileNodeStatusResource>(cancel: Cancel)).Status.State);
        Assert.Equal("true", (await _lab.Api.GetAsync<V1Node>(null, "node-a", Cancel))!.Metadata.Labels["portcullis.dev/agent-ready"]);

        using var withAppArmor = new AgentLab(appArmor: true);
        await withAppArmor.Api.CreateAsync(AgentLab.Profile<AppArmorProfileResource>("sha256-cc", "profile portcullis-sha256-cc {\n  file,\n}\n"), Cancel);
        await withAppArmor.SyncAsync();
        await withAppArmor.SyncAsync();
        Assert.Equal(["sha256-cc"], withAppArmor.AppArmor.Loaded);
        Assert.Equal(NodeState.Installed, Assert.Single(await withAppArmor.Api.ListAsync<ProfileNodeStatusResource>(cancel: Cancel)).Status.State);
        Assert.Equal("true", (await withAppArmor.Api.GetAsync<V1Node>(null, "node-a", Cancel))!.Metadata.Labels["portcullis.dev/apparmor"]);

        await withAppArmor.Api.DeleteAsync<AppArmorProfileResource>(null, "sha256-cc", Cancel);
        await withAppArmor.SyncAsync();
        Assert.Equal(["sha256-cc"], withAppArmor.AppArmor.Unloaded);
    }

    [Fact]
    public async Task Deleting_the_node_deletes_its_statuses_because_the_node_owns_them()
    {
        await _lab.Api.CreateAsync(AgentLab.Profile<SeccompProfileResource>("sha256-aa", Profile), Cancel);
        await _lab.SyncAsync();
        await _lab.Api.DeleteAsync<V1Node>(null, "node-a", Cancel);
        Assert.Empty(await _lab.Api.ListAsync<ProfileNodeStatusResource>(cancel: Cancel));
    }

    [Fact]
    public async Task Uninstall_happens_only_when_the_DaemonSet_is_gone_and_leaves_no_file_status_or_label()
    {
        await _lab.Api.CreateAsync(new V1DaemonSet { Metadata = new V1ObjectMeta { Name = "portcullis-agent", NamespaceProperty = "portcullis-system" } }, Cancel);
        await _lab.Api.CreateAsync(AgentLab.Profile<SeccompProfileResource>("sha256-aa", Profile), Cancel);
        await _lab.SyncAsync();
        Assert.False(await _lab.Agent.IsBeingUninstalledAsync(Cancel));

        await _lab.Api.DeleteAsync<V1DaemonSet>("portcullis-system", "portcullis-agent", Cancel);
        Assert.True(await _lab.Agent.IsBeingUninstalledAsync(Cancel));
        Assert.Null(await _lab.Agent.UninstallAsync(Cancel));
        Assert.False(Directory.Exists(Path.Combine(_lab.Root, "seccomp", "portcullis")));
        Assert.Empty(await _lab.Api.ListAsync<ProfileNodeStatusResource>(cancel: Cancel));
        var labels = (await _lab.Api.GetAsync<V1Node>(null, "node-a", Cancel))!.Metadata.Labels;
        Assert.DoesNotContain(labels.Keys, k => k.StartsWith("portcullis.dev/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task When_kubectl_delete_has_already_removed_its_RBAC_the_agent_still_takes_its_files_off_the_node()
    {
        await _lab.Api.CreateAsync(AgentLab.Profile<SeccompProfileResource>("sha256-aa", Profile), Cancel);
        await _lab.SyncAsync();
        _lab.Api.Fault = (_, _) => new Kubernetes.ClusterApiException(System.Net.HttpStatusCode.Forbidden, "forbidden");

        Assert.True(await _lab.Agent.IsBeingUninstalledAsync(Cancel));
        var left = await _lab.Agent.UninstallAsync(Cancel);
        Assert.False(Directory.Exists(Path.Combine(_lab.Root, "seccomp", "portcullis")));
        Assert.Contains("portcullis.dev/agent-ready", left, StringComparison.Ordinal); // said, not logged as done
        _lab.Api.Fault = null;
        Assert.Equal("true", (await _lab.Api.GetAsync<V1Node>(null, "node-a", Cancel))!.Metadata.Labels["portcullis.dev/agent-ready"]);
    }

    private static ulong Inode(string path)
    {
        var (code, output) = Requires.Run("stat", "-c", "%i", path);
        Assert.Equal(0, code);
        return ulong.Parse(output.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Dispose() => _lab.Dispose();
}
