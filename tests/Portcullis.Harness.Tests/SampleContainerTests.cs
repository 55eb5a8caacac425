using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Portcullis.Oci.Artifacts;
using Portcullis.Oci.References;
using Portcullis.Profiles.Generation;
using Portcullis.Profiles.Seccomp;

namespace Portcullis.Harness.Tests;

/// <summary>
/// The sample images, published with the Portcullis.Build package, pulled from the registry and run by real
/// runc and crun: unconfined; under the seccomp profile the package generated and attached (no_new_privs off,
/// the image's own non-root user), where every behaviour must still work; with one needed syscall taken out
/// of that profile, where the app must fail; and under deny-all, where nothing starts.
/// </summary>
[Collection(SamplesCollection.Name)]
public sealed class SampleContainerTests(SampleImagesFixture images)
{
    public static TheoryData<string> Runtimes => ["runc", "crun"];

    private static readonly JsonNode DenyAll = JsonNode.Parse("""{"defaultAction":"SCMP_ACT_ERRNO","architectures":["SCMP_ARCH_X86_64","SCMP_ARCH_X86","SCMP_ARCH_X32"]}""")!;

    [Theory]
    [MemberData(nameof(Runtimes))]
    public async Task TodoApi_answers_every_endpoint_in_a_container(string runtime) =>
        Assert.Null(await DriveTodoApiAsync(runtime, null));

    [Theory]
    [MemberData(nameof(Runtimes))]
    public async Task TodoApi_answers_every_endpoint_under_its_generated_profile(string runtime)
    {
        var profile = JsonNode.Parse((await SampleImagesFixture.PullSeccompAsync(images.TodoApi)).Content)!;
        Assert.Null(await DriveTodoApiAsync(runtime, profile));
    }

    [Fact]
    public async Task TodoApi_fails_when_a_recorded_syscall_it_needs_is_taken_out()
    {
        var profile = JsonNode.Parse((await SampleImagesFixture.PullSeccompAsync(images.TodoApi)).Content)!;
        Assert.Contains("listen", Allowed(profile));
        Assert.NotNull(await DriveTodoApiAsync("runc", Without(profile, "listen")));
    }

    // Kestrel sends a response of several segments with sendmsg, which a profile from small test responses misses.
    [Fact]
    public async Task TodoApi_fails_on_a_long_list_without_sendmsg()
    {
        var profile = JsonNode.Parse((await SampleImagesFixture.PullSeccompAsync(images.TodoApi)).Content)!;
        Assert.Contains("sendmsg", Allowed(profile));
        var problem = await DriveTodoApiAsync("runc", Without(profile, "sendmsg"));
        // It starts and answers the short requests; the long list is what breaks.
        Assert.StartsWith(nameof(HttpRequestException), problem, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Runtimes))]
    public async Task Worker_processes_its_inputs_in_a_container(string runtime)
    {
        var (code, output, lines) = await RunWorkerAsync(runtime, null);
        Assert.True(code == 0, $"{runtime} exit {code}: {output}");
        Assert.Contains("processed 6 files", output, StringComparison.Ordinal);
        Assert.Equal(6, lines);
    }

    [Theory]
    [MemberData(nameof(Runtimes))]
    public async Task Worker_processes_its_inputs_under_its_generated_profile(string runtime)
    {
        var profile = JsonNode.Parse((await SampleImagesFixture.PullSeccompAsync(images.Worker)).Content)!;
        var (code, output, lines) = await RunWorkerAsync(runtime, profile);
        Assert.True(code == 0, $"{runtime} exit {code} under the generated profile: {output}");
        Assert.Equal(6, lines);
    }

    public static TheoryData<string, bool> RuntimesAndNoNewPrivileges => new() { { "runc", false }, { "runc", true }, { "crun", false }, { "crun", true } };

    [Theory]
    [MemberData(nameof(RuntimesAndNoNewPrivileges))]
    public async Task Worker_processes_its_inputs_under_the_variant_a_node_agent_writes_for_its_runtime(string runtime, bool noNewPrivileges)
    {
        var pulled = await SampleImagesFixture.PullSeccompAsync(images.Worker);
        var runtimeOnly = ContainerRuntimePart.Parse(pulled.Annotations.GetValueOrDefault(ProfileArtifactFormat.ContainerRuntimeNames));
        Assert.Contains("capset", runtimeOnly); // the package attached the runtime-only names
        var variant = ContainerRuntimeBase.ForName(RuntimeVersion(runtime), noNewPrivileges)!;
        Assert.True(variant.Proven, $"{RuntimeVersion(runtime)} has no proven row in RuntimeBaseTable");
        var stored = System.Text.Encoding.UTF8.GetBytes(UntrustedSeccomp.Canonical(UntrustedSeccomp.Read(pulled.Content, images.Worker)));
        var profile = JsonNode.Parse(ContainerRuntimePart.NodeFile(stored, images.Worker, runtimeOnly, variant))!;
        var allowed = Allowed(profile);
        Assert.True(allowed.Count < Allowed(JsonNode.Parse(pulled.Content)!).Count);
        Assert.Empty(allowed.Intersect(runtimeOnly.Except(variant.Names)));
        if (noNewPrivileges) // kept only where the app's own part (recorded, predicted) has them
            Assert.Empty(allowed.Intersect(["setuid", "setgid", "setgroups", "capset"]).Intersect(runtimeOnly));

        var (code, output, lines) = await RunWorkerAsync(runtime, profile, noNewPrivileges);
        Assert.True(code == 0, $"{runtime} (no_new_privs {noNewPrivileges}) exit {code} under the tailored profile: {output}");
        Assert.Equal(6, lines);
    }

    /// <summary>"runc/1.1.5+ds1": what the runtime on this machine says it is.</summary>
    private static string RuntimeVersion(string runtime)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(runtime, "--version") { RedirectStandardOutput = true })!;
        var first = process.StandardOutput.ReadLine() ?? "";
        process.WaitForExit();
        return runtime + "/" + first.Split(' ')[^1];
    }

    [Fact]
    public async Task Worker_fails_when_a_recorded_syscall_it_needs_is_taken_out()
    {
        var profile = JsonNode.Parse((await SampleImagesFixture.PullSeccompAsync(images.Worker)).Content)!;
        Assert.Contains("connect", Allowed(profile));
        var (code, _, lines) = await RunWorkerAsync("runc", Without(profile, "connect"));
        Assert.NotEqual(0, code);
        Assert.Equal(0, lines);
    }

    [Fact]
    public async Task The_image_label_the_attached_artifact_and_the_published_file_are_the_same_profile()
    {
        var file = await File.ReadAllBytesAsync(Path.Combine(images.TodoApiProfiles, "seccomp.json"), TestContext.Current.CancellationToken);
        var pulled = await SampleImagesFixture.PullSeccompAsync(images.TodoApi);
        Assert.Equal(file, pulled.Content);

        using var client = SampleImagesFixture.Client();
        var reference = ImageReference.Parse(images.TodoApi);
        var manifest = await client.GetManifestAsync(reference, TestContext.Current.CancellationToken);
        Assert.Equal(manifest.Digest, pulled.Subject.Digest);
        var configDescriptor = Oci.Model.Descriptor.FromJson(manifest.Json("image")["config"]!, "image");
        var config = JsonNode.Parse(await client.PullBlobAsync(reference, configDescriptor.Digest, 1 << 20, TestContext.Current.CancellationToken))!;
        var labels = config["config"]!["Labels"]!;
        Assert.Equal(System.Text.Encoding.UTF8.GetString(file), labels["io.containers.seccomp.profile"]!.GetValue<string>());
        Assert.Equal(Digest.Sha256(file).ToString(), labels["dev.portcullis.seccomp.digest"]!.GetValue<string>());

        // skopeo, a reader that is not ours, sees the artifact's manifest under the referrers tag.
        var skopeo = Requires.Tool("skopeo", "skopeo");
        var (code, raw) = Requires.Run(skopeo, "inspect", "--raw", "--tls-verify=false", $"docker://{reference.Registry}/{reference.Repository}:{manifest.Digest.ReferrersTag}");
        Assert.True(code == 0, raw);
        Assert.Contains(pulled.Artifact.Digest.ToString(), raw, StringComparison.Ordinal);

        var report = await File.ReadAllTextAsync(Path.Combine(images.TodoApiProfiles, "report.md"), TestContext.Current.CancellationToken);
        Assert.Contains("recorded in TodoApi.Tests", report, StringComparison.Ordinal);
        Assert.Contains("Portcullis: recording the tests of TodoApi.Tests", images.TodoApiPublishLog, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Runtimes))]
    public void Under_a_deny_all_profile_neither_sample_starts(string runtime)
    {
        foreach (var image in new[] { images.TodoApi, images.Worker })
        {
            using var bundle = ImageBundle.Pull(image).WithSeccomp(DenyAll);
            var (code, output) = bundle.Run(runtime, TimeSpan.FromMinutes(1));
            Assert.True(code != 0, $"{image} started under deny-all with {runtime}: {output}");
        }
    }

    private static HashSet<string> Allowed(JsonNode profile) =>
        profile["syscalls"]!.AsArray().Where(r => r!["action"]!.GetValue<string>() == "SCMP_ACT_ALLOW")
            .SelectMany(r => r!["names"]!.AsArray().Select(n => n!.GetValue<string>())).ToHashSet(StringComparer.Ordinal);

    private static JsonNode Without(JsonNode profile, string name)
    {
        var copy = profile.DeepClone();
        foreach (var rule in copy["syscalls"]!.AsArray())
        {
            var names = rule!["names"]!.AsArray();
            foreach (var n in names.Where(n => n!.GetValue<string>() == name).ToList())
                names.Remove(n);
        }
        return copy;
    }

    // Every endpoint over real HTTP as production meets it (a list long enough that Kestrel sends it in several
    // segments; the watched settings file changed while the app runs, as a ConfigMap update does), then SIGTERM as the
    // kubelet stops pods; null when all answered and it exited 0, else what went wrong.
    private async Task<string?> DriveTodoApiAsync(string runtime, JsonNode? profile)
    {
        var settings = Directory.CreateTempSubdirectory("portcullis-settings-").FullName;
        var file = Path.Combine(settings, "settings.json");
        await File.WriteAllTextAsync(file, "{}", TestContext.Current.CancellationToken);
        File.SetUnixFileMode(settings, (UnixFileMode)0x1ed);
        File.SetUnixFileMode(file, (UnixFileMode)0x1a4);
        try
        {
            return await ServerContainer.RunAsync(images.TodoApi, runtime, profile, async (http, cancel) =>
            {
                var created = await http.PostAsJsonAsync("/todos", new { title = "in a container" }, cancel);
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
                var todo = (await created.Content.ReadFromJsonAsync<JsonObject>(cancel))!;
                var id = todo["id"]!.GetValue<string>();
                Assert.Contains("in a container", await http.GetStringAsync($"/todos/{id}", cancel), StringComparison.Ordinal);
                todo["done"] = true;
                Assert.Equal(HttpStatusCode.OK, (await http.PutAsJsonAsync($"/todos/{id}", todo, cancel)).StatusCode);
                for (var i = 0; i < 200; i++)
                    Assert.Equal(HttpStatusCode.Created, (await http.PostAsJsonAsync("/todos", new { title = i + new string('x', 3000) }, cancel)).StatusCode);
                var list = await http.GetStringAsync("/todos", cancel);
                Assert.Contains(id, list, StringComparison.Ordinal);
                Assert.True(list.Length > 600_000, $"the list has {list.Length} characters");
                Assert.Contains("\"status\":200", await http.GetStringAsync("/upstream", cancel), StringComparison.Ordinal);
                Assert.Contains("hello", await http.GetStringAsync("/config", cancel), StringComparison.Ordinal);
                await File.WriteAllTextAsync(file, """{ "Greeting": "reloaded" }""", cancel);
                while (!(await http.GetStringAsync("/config", cancel)).Contains("reloaded", StringComparison.Ordinal))
                    await Task.Delay(100, cancel);
                Assert.Contains("beats", await http.GetStringAsync("/stats", cancel), StringComparison.Ordinal);
                Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync($"/todos/{id}", cancel)).StatusCode);
            }, stopGracefully: true, [(settings, "/settings")], ("Upstream__Url", "http://127.0.0.1:{port}/health"), ("TODO_SETTINGS", "/settings/settings.json"));
        }
        finally
        {
            Directory.Delete(settings, recursive: true);
        }
    }

    private async Task<(int Code, string Output, int Lines)> RunWorkerAsync(string runtime, JsonNode? profile, bool noNewPrivileges = false)
    {
        var cancel = TestContext.Current.CancellationToken;
        var data = Directory.CreateTempSubdirectory("portcullis-worker-").FullName;
        try
        {
            var inputs = Directory.CreateDirectory(Path.Combine(data, "in")).FullName;
            Directory.CreateDirectory(Path.Combine(data, "out"));
            for (var i = 0; i < 6; i++)
                await File.WriteAllTextAsync(Path.Combine(inputs, $"f{i}.txt"), string.Join(' ', Enumerable.Repeat("w", i + 1)), cancel);
            foreach (var d in new[] { data, inputs, Path.Combine(data, "out") })
                File.SetUnixFileMode(d, (UnixFileMode)0x1ff);

            using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            var socketPath = Path.Combine(data, "results.sock");
            listener.Bind(new UnixDomainSocketEndPoint(socketPath));
            File.SetUnixFileMode(socketPath, (UnixFileMode)0x1ff);
            listener.Listen(1);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            var lines = Task.Run(async () =>
            {
                using var peer = await listener.AcceptAsync(stop.Token);
                using var reader = new StreamReader(new NetworkStream(peer, ownsSocket: false));
                return (await reader.ReadToEndAsync(stop.Token)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
            }, stop.Token);

            using var bundle = ImageBundle.Pull(images.Worker).WithSeccomp(profile).WithNoNewPrivileges(noNewPrivileges)
                .WithBind(data, "/data").WithArgs("/data/in", "/data/out", "/data/results.sock");
            var (code, output) = bundle.Run(runtime, TimeSpan.FromMinutes(2));
            if (code == 0)
            {
                Assert.Equal(6, Directory.GetFiles(Path.Combine(data, "out"), "*.gz").Length);
                return (code, output, await lines);
            }
            await stop.CancelAsync();
            return (code, output, lines.IsCompletedSuccessfully ? lines.Result : 0);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
