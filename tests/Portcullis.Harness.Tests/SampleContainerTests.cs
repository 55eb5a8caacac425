using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace Portcullis.Harness.Tests;

/// <summary>The sample images, pulled from the registry and run by real runc and crun: unconfined they work; under a deny-all profile they cannot start.</summary>
public sealed class SampleContainerTests(SampleImagesFixture images) : IClassFixture<SampleImagesFixture>
{
    public static TheoryData<string> Runtimes => ["runc", "crun"];

    private static readonly JsonNode DenyAll = JsonNode.Parse("""{"defaultAction":"SCMP_ACT_ERRNO","architectures":["SCMP_ARCH_X86_64","SCMP_ARCH_X86","SCMP_ARCH_X32"]}""")!;

    [Theory]
    [MemberData(nameof(Runtimes))]
    public async Task TodoApi_answers_every_endpoint_in_a_container(string runtime)
    {
        var cancel = TestContext.Current.CancellationToken;
        var port = FreePort.Next();
        using var bundle = ImageBundle.Pull(images.TodoApi)
            .WithHostNetwork()
            .WithEnv("ASPNETCORE_HTTP_PORTS", port.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithEnv("Upstream__Url", $"http://127.0.0.1:{port}/health");
        var container = bundle.Start(runtime);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await WaitHealthyAsync(http, container, bundle, cancel);

        var created = await http.PostAsJsonAsync("/todos", new { title = "in a container" }, cancel);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var todo = (await created.Content.ReadFromJsonAsync<JsonObject>(cancel))!;
        var id = todo["id"]!.GetValue<string>();
        Assert.Contains("in a container", await http.GetStringAsync($"/todos/{id}", cancel), StringComparison.Ordinal);
        todo["done"] = true;
        Assert.Equal(HttpStatusCode.OK, (await http.PutAsJsonAsync($"/todos/{id}", todo, cancel)).StatusCode);
        Assert.Contains("\"status\":200", await http.GetStringAsync("/upstream", cancel), StringComparison.Ordinal);
        Assert.Contains("greeting", await http.GetStringAsync("/config", cancel), StringComparison.Ordinal);
        Assert.Contains("beats", await http.GetStringAsync("/stats", cancel), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync($"/todos/{id}", cancel)).StatusCode);
    }

    [Theory]
    [MemberData(nameof(Runtimes))]
    public async Task Worker_processes_its_inputs_in_a_container(string runtime)
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
            var lines = Task.Run(async () =>
            {
                using var peer = await listener.AcceptAsync(cancel);
                using var reader = new StreamReader(new NetworkStream(peer, ownsSocket: false));
                return (await reader.ReadToEndAsync(cancel)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            }, cancel);

            using var bundle = ImageBundle.Pull(images.Worker).WithBind(data, "/data").WithArgs("/data/in", "/data/out", "/data/results.sock");
            var (code, output) = bundle.Run(runtime, TimeSpan.FromMinutes(2));
            Assert.True(code == 0, $"{runtime} exit {code}: {output}");
            Assert.Contains("processed 6 files", output, StringComparison.Ordinal);
            Assert.Equal(6, (await lines).Length);
            Assert.Equal(6, Directory.GetFiles(Path.Combine(data, "out"), "*.gz").Length);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
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

    private static async Task WaitHealthyAsync(HttpClient http, System.Diagnostics.Process container, ImageBundle bundle, CancellationToken cancel)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(container.HasExited, $"the container exited with {(container.HasExited ? container.ExitCode : 0)}: {bundle.BackgroundOutput}");
            try
            {
                if ((await http.GetAsync("/health", cancel)).StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(200, cancel);
        }
        Assert.Fail("TodoApi did not become healthy within 60 s");
    }
}
