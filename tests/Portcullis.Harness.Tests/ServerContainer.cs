using System.Net;
using System.Text.Json.Nodes;

namespace Portcullis.Harness.Tests;

/// <summary>Runs a server image with runc or crun on the host network (no_new_privs off, the image's user, an /etc/hosts as the kubelet writes one) and lets a test drive it over real HTTP.</summary>
internal static class ServerContainer
{
    /// <summary>Null when <paramref name="drive"/> completed against a healthy server, else what went wrong (with the container's output).</summary>
    public static Task<string?> RunAsync(string image, string runtime, JsonNode? profile, Func<HttpClient, CancellationToken, Task> drive, params (string Name, string Value)[] env) =>
        RunAsync(image, runtime, profile, drive, stopGracefully: false, env);

    /// <param name="stopGracefully">after driving, stop it as the kubelet does (SIGTERM) and require exit code 0 within 10 s</param>
    public static Task<string?> RunAsync(string image, string runtime, JsonNode? profile, Func<HttpClient, CancellationToken, Task> drive, bool stopGracefully, params (string Name, string Value)[] env) =>
        RunAsync(image, runtime, profile, drive, stopGracefully, [], env);

    /// <param name="binds">host directories mounted into the container (a ConfigMap volume, say)</param>
    public static async Task<string?> RunAsync(string image, string runtime, JsonNode? profile, Func<HttpClient, CancellationToken, Task> drive, bool stopGracefully,
        (string Source, string Destination)[] binds, params (string Name, string Value)[] env)
    {
        var cancel = TestContext.Current.CancellationToken;
        var port = FreePort.Next();
        // The kubelet gives every container an /etc/hosts of its own; runc does not.
        var hosts = Path.Combine(Directory.CreateTempSubdirectory("portcullis-hosts-").FullName, "hosts");
        File.WriteAllText(hosts, "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
        using var bundle = ImageBundle.Pull(image).WithSeccomp(profile).WithNoNewPrivileges(false).WithHostNetwork()
            .WithBind(hosts, "/etc/hosts")
            .WithEnv("ASPNETCORE_HTTP_PORTS", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var (source, destination) in binds)
            bundle.WithBind(source, destination);
        foreach (var (name, value) in env)
            bundle.WithEnv(name, value.Replace("{port}", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        var container = bundle.Start(runtime);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(20) };
        if (await WaitHealthyAsync(http, container, cancel) is { } failure)
            return failure + ": " + bundle.BackgroundOutput;
        try
        {
            await drive(http, cancel);
            if (container.HasExited)
                return "the container died while serving: " + bundle.BackgroundOutput;
            if (!stopGracefully)
                return null;
            bundle.Signal("TERM");
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            stop.CancelAfter(TimeSpan.FromSeconds(10));
            await container.WaitForExitAsync(stop.Token);
            return container.ExitCode == 0 ? null : $"stopped with SIGTERM, it exited with {container.ExitCode}: {bundle.BackgroundOutput}";
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested && stopGracefully && !container.HasExited)
        {
            return "it did not exit within 10 s of SIGTERM: " + bundle.BackgroundOutput;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return $"{e.GetType().Name}: {e.Message}: {bundle.BackgroundOutput}";
        }
    }

    private static async Task<string?> WaitHealthyAsync(HttpClient http, System.Diagnostics.Process container, CancellationToken cancel)
    {
        var deadline = DateTime.UtcNow.AddSeconds(45);
        while (DateTime.UtcNow < deadline)
        {
            if (container.HasExited)
                return $"the container exited with {container.ExitCode}";
            try
            {
                if ((await http.GetAsync("/health", cancel)).StatusCode == HttpStatusCode.OK)
                    return null;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancel.IsCancellationRequested)
            {
            }
            await Task.Delay(200, cancel);
        }
        return "not healthy within 45 s";
    }
}
