using System.Net;

namespace Portcullis.Harness.Tests;

/// <summary>
/// Gauntlet's tests call two of its endpoints, in memory. Under the profile the package made, the container
/// must serve all of them over real HTTP: DNS, TCP, UDP and Unix sockets, file watching, links and modes,
/// memory maps, zip and Brotli, crypto, pipes, threads and timers, a compacting GC, time zones, /proc, IPv6,
/// a child process, process priority, sendfile, links, a signal handler, TCP/IP statistics, clocks and the
/// terminal (the families of libSystem.Native's exports). Then it is stopped as the kubelet stops pods (SIGTERM) and must exit 0.
/// </summary>
[Collection(SamplesCollection.Name)]
public sealed class GauntletContainerTests(SampleImagesFixture images)
{
    public static readonly string[] Endpoints =
    [
        "json", "dns", "hostname", "http-self", "tcp", "udp", "unix", "watch", "files", "mmap", "zip", "brotli",
        "crypto", "pipe", "threads", "memory", "regex", "timezone", "process", "environment", "ipv6", "spawn", "nics", "drives", "download", "mutex", "kill-child", "tls", "poll", "lock",
        "priority", "sendfile", "hardlink", "signal", "netstat", "clock", "terminal",
    ];

    [Theory]
    [InlineData("runc")]
    [InlineData("crun")]
    public async Task Every_endpoint_works_under_the_generated_profile_though_the_tests_call_two_and_it_stops_cleanly_on_SIGTERM(string runtime)
    {
        var profile = System.Text.Json.Nodes.JsonNode.Parse((await SampleImagesFixture.PullSeccompAsync(images.Gauntlet)).Content)!;
        var failures = new List<string>();
        var problem = await ServerContainer.RunAsync(images.Gauntlet, runtime, profile, stopGracefully: true, drive: async (http, cancel) =>
        {
            http.DefaultRequestHeaders.AcceptEncoding.ParseAdd("br");
            foreach (var endpoint in Endpoints)
            {
                try
                {
                    using var response = await http.GetAsync("/" + endpoint, cancel);
                    if (response.StatusCode != HttpStatusCode.OK || (await response.Content.ReadAsByteArrayAsync(cancel)).Length == 0)
                        failures.Add($"/{endpoint}: {(int)response.StatusCode}");
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    failures.Add($"/{endpoint}: {e.GetType().Name} {e.Message}");
                }
            }
        });
        Assert.True(problem is null && failures.Count == 0, $"{problem}\n{string.Join("\n", failures)}\nreport:\n{File.ReadAllText(Path.Combine(images.GauntletProfiles, "report.md"))}");
    }

    [Fact]
    public async Task Without_symlink_or_setpriority_the_untested_endpoints_fail_so_the_drive_does_check_each_one()
    {
        var profile = System.Text.Json.Nodes.JsonNode.Parse((await SampleImagesFixture.PullSeccompAsync(images.Gauntlet)).Content)!;
        foreach (var rule in profile["syscalls"]!.AsArray())
        {
            var names = rule!["names"]!.AsArray();
            foreach (var name in names.Where(n => n!.GetValue<string>() is "symlink" or "symlinkat" or "setpriority").ToList())
                names.Remove(name);
        }
        string? status = null;
        await ServerContainer.RunAsync(images.Gauntlet, "runc", profile, async (http, cancel) =>
            status = $"{(int)(await http.GetAsync("/files", cancel)).StatusCode} {(int)(await http.GetAsync("/priority", cancel)).StatusCode} {(int)(await http.GetAsync("/tcp", cancel)).StatusCode}");
        Assert.Equal("500 500 200", status);
    }
}
