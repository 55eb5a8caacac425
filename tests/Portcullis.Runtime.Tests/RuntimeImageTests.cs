using System.Text;
using k8s.Models;
using Portcullis.Runtime.Resources;

namespace Portcullis.Runtime.Tests;

/// <summary>
/// The runtime's own container image, made with `dotnet publish -t:PublishContainer` like the samples, run by
/// runc as the agent: it reads a kubeconfig, talks to the fake API server over HTTP (no real one can run
/// here), and writes profiles into the kubelet directory bound in from the host.
/// </summary>
public sealed class RuntimeImageTests
{
    [Fact]
    public async Task The_published_image_runs_the_agent_in_runc_and_installs_profiles_on_the_host()
    {
        Requires.Root();
        var runc = Requires.Tool("runc", "runc");
        using var registry = LocalRegistry.Start();
        var baseImage = BaseImages.Push(registry, BaseImageKind.AspNet);
        using var work = new TempTree();
        foreach (var dir in new[] { "src/Runtime", "src/Runtime.Api", "src/Oci", "src/Profiles" })
            Copy(Path.Combine(Repo.Root, dir), Path.Combine(work.Path, dir));
        foreach (var top in new[] { "Directory.Build.props", "Directory.Packages.props", "global.json", ".editorconfig" })
            File.Copy(Path.Combine(Repo.Root, top), Path.Combine(work.Path, top));
        var image = $"{registry.Host}/portcullis/runtime:test";
        var (code, output) = Dotnet.Run(work.Path, new Dictionary<string, string> { ["DOTNET_CONTAINER_INSECURE_REGISTRIES"] = registry.Host },
            "publish", "src/Runtime/Portcullis.Runtime.csproj", "-c", "Release", "-t:PublishContainer", "-nologo",
            $"-p:ContainerBaseImage={baseImage}", $"-p:ContainerRegistry={registry.Host}", "-p:ContainerRepository=portcullis/runtime",
            "-p:ContainerImageTag=test", "-p:ContainerRuntimeIdentifier=linux-x64");
        Assert.True(code == 0, output);

        var backend = new InMemoryClusterApi();
        await using var server = new ApiServerFacade(backend);
        await backend.CreateAsync(new V1Node { Metadata = new V1ObjectMeta { Name = "node-a", Labels = new Dictionary<string, string>() } }, TestContext.Current.CancellationToken);
        await backend.CreateAsync(AgentLab.Profile<SeccompProfileResource>("sha256-aa", WebhookLab.SeccompProfile), TestContext.Current.CancellationToken);
        var kube = Directory.CreateDirectory(Path.Combine(work.Path, "kube")).FullName;
        File.WriteAllText(Path.Combine(kube, "config"), $"""
            apiVersion: v1
            kind: Config
            clusters: [{"{"}name: fake, cluster: {"{"}server: "{server.Url}"{"}"}{"}"}]
            contexts: [{"{"}name: fake, context: {"{"}cluster: fake, user: agent{"}"}{"}"}]
            current-context: fake
            users: [{"{"}name: agent, user: {"{"}token: t{"}"}{"}"}]
            """);
        var kubelet = Directory.CreateDirectory(Path.Combine(work.Path, "kubelet")).FullName;

        using var bundle = ImageBundle.Pull(image).WithHostNetwork().WithBind(kube, "/kube").WithBind(kubelet, "/var/lib/kubelet")
            .WithArgs("agent", "--Kubeconfig=/kube/config", "--NodeName=node-a", "--KubeletRoot=/var/lib/kubelet", "--AppArmorRoot=/tmp/apparmor", $"--HttpPort={FreePort.Next()}");
        var agent = bundle.Start(runc);
        var file = Path.Combine(kubelet, "seccomp", "portcullis", "sha256-aa.json");
        // The agent reports a profile after writing its file; an agent that dies ends the wait too.
        var reported = backend.WaitUntilAsync(() => backend.Count<ProfileNodeStatusResource>() > 0, TestContext.Current.CancellationToken);
        await Task.WhenAny(reported, agent.WaitForExitAsync(TestContext.Current.CancellationToken));
        Assert.True(reported.IsCompletedSuccessfully, "the agent in the container reported nothing; it said:\n" + bundle.BackgroundOutput);
        Assert.True(File.Exists(file), "the agent in the container wrote nothing; it said:\n" + bundle.BackgroundOutput);
        Assert.Equal(WebhookLab.SeccompProfile, await File.ReadAllTextAsync(file, Encoding.UTF8, TestContext.Current.CancellationToken));
        var status = Assert.Single(await backend.ListAsync<ProfileNodeStatusResource>(cancel: TestContext.Current.CancellationToken));
        Assert.Equal(NodeState.Installed, status.Status.State);
    }

    private static void Copy(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.Split('/')[0] is "bin" or "obj")
                continue;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(to, relative))!);
            File.Copy(file, Path.Combine(to, relative));
        }
    }

    private sealed class TempTree : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("portcullis-runtime-image-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
