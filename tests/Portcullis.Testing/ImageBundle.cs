using System.Diagnostics;
using System.Text.Json.Nodes;
using Xunit;

namespace Portcullis.Testing;

/// <summary>
/// An OCI bundle to run with runc or crun: an image from a registry (skopeo copies it into an OCI layout,
/// umoci unpacks it: config from the image's entrypoint, env, user and working directory), or this
/// machine's programs (`runc spec` over the host's /usr, /lib, /lib64, /bin, /sbin and /etc bound
/// read-only). The test then sets
/// the seccomp profile, the network (host or a private namespace), extra env and bind mounts, and runs it
/// with runc or crun, in the foreground or in the background. No terminal, no rlimits, no oom_score_adj
/// (this machine refuses raising rlimits and a negative oom_score_adj). Containers are always deleted.
/// </summary>
public sealed class ImageBundle : IDisposable
{
    private readonly string _dir;
    private readonly List<(string Runtime, string Id, Process? Process)> _started = [];
    private readonly System.Text.StringBuilder _backgroundOutput = new();

    /// <summary>What containers started with <see cref="Start"/> have printed so far.</summary>
    public string BackgroundOutput
    {
        get
        {
            lock (_backgroundOutput)
                return _backgroundOutput.ToString();
        }
    }

    private ImageBundle(string dir) => _dir = dir;

    public string BundleDirectory => Path.Combine(_dir, "bundle");

    public static ImageBundle Pull(string image)
    {
        var skopeo = Requires.Tool("skopeo", "skopeo");
        var umoci = Requires.Tool("umoci", "umoci");
        var dir = Directory.CreateTempSubdirectory("portcullis-image-").FullName;
        var bundle = new ImageBundle(dir);
        Check(Requires.Run(skopeo, "copy", "-q", "--src-tls-verify=false", "docker://" + image, $"oci:{Path.Combine(dir, "layout")}:image"), "skopeo copy");
        Check(Requires.Run(umoci, "unpack", "--image", $"{Path.Combine(dir, "layout")}:image", bundle.BundleDirectory), "umoci unpack");
        return bundle.ForThisMachine();
    }

    private static readonly string[] HostDirectories = ["usr", "lib", "lib64", "bin", "sbin", "etc"];

    /// <summary>A bundle that runs <paramref name="args"/> from this machine's own file system, read-only.</summary>
    public static ImageBundle FromHost(IReadOnlyList<string> args)
    {
        var bundle = new ImageBundle(Directory.CreateTempSubdirectory("portcullis-host-").FullName);
        WriteHostBundle(bundle.BundleDirectory, args);
        return bundle.ForThisMachine();
    }

    /// <summary>
    /// Writes, in <paramref name="directory"/>, a runc bundle whose root is empty but for this machine's /usr,
    /// /lib, /lib64, /bin, /sbin and /etc bound read-only, running <paramref name="args"/> (the kernel lab
    /// writes one into its VM's share).
    /// </summary>
    public static void WriteHostBundle(string directory, IReadOnlyList<string> args)
    {
        var runc = Requires.Tool("runc", "runc");
        Directory.CreateDirectory(Path.Combine(directory, "rootfs"));
        Check(Requires.Run(runc, "spec", "--bundle", directory), "runc spec");
        var path = Path.Combine(directory, "config.json");
        var config = JsonNode.Parse(File.ReadAllText(path))!;
        config["process"]!["args"] = new JsonArray(args.Select(a => (JsonNode)a!).ToArray());
        config["process"]!["terminal"] = false;
        config["process"]!.AsObject().Remove("rlimits");
        config["linux"]!.AsObject().Remove("resources");
        config["root"] = new JsonObject { ["path"] = "rootfs", ["readonly"] = true };
        var mounts = config["mounts"]!.AsArray();
        foreach (var d in HostDirectories.Where(d => Directory.Exists("/" + d)))
        {
            Directory.CreateDirectory(Path.Combine(directory, "rootfs", d));
            mounts.Add(new JsonObject { ["destination"] = "/" + d, ["type"] = "bind", ["source"] = "/" + d, ["options"] = new JsonArray("rbind", "ro") });
        }
        File.WriteAllText(path, config.ToJsonString());
    }

    // No terminal, no rlimits, no oom_score_adj (this machine refuses raising rlimits and a negative
    // oom_score_adj), no cgroup resources.
    private ImageBundle ForThisMachine() => Edit(config =>
    {
        var process = config["process"]!.AsObject();
        process["terminal"] = false;
        process.Remove("rlimits");
        process.Remove("oomScoreAdj");
        config["linux"]!.AsObject().Remove("resources");
    });

    public ImageBundle WithSeccomp(JsonNode? profile) => Edit(c =>
    {
        if (profile is null)
            c["linux"]!.AsObject().Remove("seccomp");
        else
            c["linux"]!["seccomp"] = profile.DeepClone();
    });

    /// <summary>
    /// no_new_privs as a pod sets it: Kubernetes leaves it off unless allowPrivilegeEscalation is false, and then
    /// runc loads the seccomp filter before it drops privileges, so the profile must cover that part too.
    /// </summary>
    public ImageBundle WithNoNewPrivileges(bool on) => Edit(c => c["process"]!["noNewPrivileges"] = on);

    /// <summary>Shares the host's network namespace (a server in the container is reachable on 127.0.0.1).</summary>
    public ImageBundle WithHostNetwork() => Edit(c =>
    {
        var namespaces = c["linux"]!["namespaces"]!.AsArray();
        foreach (var ns in namespaces.Where(n => n?["type"]?.GetValue<string>() == "network").ToList())
            namespaces.Remove(ns);
    });

    /// <summary>Sets a variable, replacing the image's value (libc's getenv would see the first of two).</summary>
    public ImageBundle WithEnv(string name, string value) => Edit(c =>
    {
        var env = c["process"]!["env"]!.AsArray();
        foreach (var old in env.Where(e => e!.GetValue<string>().StartsWith(name + "=", StringComparison.Ordinal)).ToList())
            env.Remove(old);
        env.Add((JsonNode)$"{name}={value}");
    });

    public ImageBundle WithArgs(params string[] args) => Edit(c =>
    {
        var current = c["process"]!["args"]!.AsArray();
        foreach (var a in args)
            current.Add((JsonNode)a);
    });

    public ImageBundle WithBind(string source, string destination) => Edit(c =>
        c["mounts"]!.AsArray().Add(new JsonObject { ["destination"] = destination, ["type"] = "bind", ["source"] = source, ["options"] = new JsonArray("rbind", "rw") }));

    /// <summary>Runs to the end; returns the exit code and the output.</summary>
    public (int ExitCode, string Output) Run(string runtime, TimeSpan timeout)
    {
        var (path, global) = Runtime(runtime);
        var id = "pcl-" + Guid.NewGuid().ToString("N")[..12];
        _started.Add((runtime, id, null));
        var start = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in global.Concat(["run", "--bundle", BundleDirectory, id]))
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            Requires.Run(path, [.. global, "kill", id, "KILL"]);
            process.WaitForExit(5000);
            return (-1, "timed out\n" + stdout.Result + stderr.Result);
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>Starts in the background (for servers); disposing kills and deletes it.</summary>
    public Process Start(string runtime)
    {
        var (path, global) = Runtime(runtime);
        var id = "pcl-" + Guid.NewGuid().ToString("N")[..12];
        var start = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in global.Concat(["run", "--bundle", BundleDirectory, id]))
            start.ArgumentList.Add(a);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _started.Add((runtime, id, process));
        return process;
    }

    /// <summary>Sends <paramref name="signal"/> (e.g. TERM, as the kubelet does to stop a pod) to every container started from this bundle.</summary>
    public void Signal(string signal)
    {
        foreach (var (runtime, id, _) in _started)
        {
            var (path, global) = Runtime(runtime);
            Requires.Run(path, [.. global, "kill", id, signal]);
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
            return;
        lock (_backgroundOutput)
            _backgroundOutput.AppendLine(line);
    }

    public void Dispose()
    {
        foreach (var (runtime, id, process) in _started)
        {
            var (path, global) = Runtime(runtime);
            Requires.Run(path, [.. global, "kill", id, "KILL"]);
            process?.WaitForExit(5000);
            Requires.Run(path, [.. global, "delete", "-f", id]);
            process?.Dispose();
        }
        Directory.Delete(_dir, recursive: true);
    }

    private ImageBundle Edit(Action<JsonNode> change)
    {
        var path = Path.Combine(BundleDirectory, "config.json");
        var config = JsonNode.Parse(File.ReadAllText(path))!;
        change(config);
        File.WriteAllText(path, config.ToJsonString());
        return this;
    }

    // crun refuses hybrid cgroup layouts unless told not to manage cgroups.
    private static (string Path, string[] Global) Runtime(string runtime) =>
        (Requires.Tool(runtime, runtime), runtime == "crun" ? ["--cgroup-manager=disabled"] : []);

    private static void Check((int Code, string Output) result, string what) =>
        Assert.True(result.Code == 0, $"{what} failed: {result.Output}");
}
