using Xunit;

using System.Text.Json.Nodes;

namespace Portcullis.Testing;

/// <summary>
/// An OCI bundle whose root file system is this machine's /usr, /lib, /lib64, /bin, /sbin and /etc bound
/// read-only, for running host programs in a real container with runc or crun under a chosen seccomp
/// profile. The config starts from `runc spec`; no terminal, no rlimits and no oom_score_adj (this machine
/// refuses raising rlimits and a negative oom_score_adj). Containers are always deleted, even on failure.
/// </summary>
public sealed class HostBundle : IDisposable
{
    private static readonly string[] HostDirectories = ["usr", "lib", "lib64", "bin", "sbin", "etc"];

    private HostBundle(string dir) => Directory = dir;

    public string Directory { get; }

    public static HostBundle Create(IReadOnlyList<string> args, JsonNode? seccomp)
    {
        var runc = Requires.Tool("runc", "runc");
        var dir = Path.Combine(Path.GetTempPath(), "portcullis-bundle-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(Path.Combine(dir, "rootfs"));
        var (code, output) = Requires.Run(runc, "spec", "--bundle", dir);
        Assert.True(code == 0, "runc spec failed: " + output);

        var configPath = Path.Combine(dir, "config.json");
        var config = JsonNode.Parse(File.ReadAllText(configPath))!;
        var process = config["process"]!.AsObject();
        process["terminal"] = false;
        process["args"] = new JsonArray(args.Select(a => (JsonNode)a!).ToArray());
        process.Remove("rlimits");
        process.Remove("oomScoreAdj");
        config["root"] = new JsonObject { ["path"] = "rootfs", ["readonly"] = true };
        var mounts = config["mounts"]!.AsArray();
        foreach (var d in HostDirectories.Where(d => System.IO.Directory.Exists("/" + d)))
        {
            System.IO.Directory.CreateDirectory(Path.Combine(dir, "rootfs", d));
            mounts.Add(new JsonObject { ["destination"] = "/" + d, ["type"] = "bind", ["source"] = "/" + d, ["options"] = new JsonArray("rbind", "ro") });
        }
        var linux = config["linux"]!.AsObject();
        linux.Remove("resources");
        if (seccomp is not null)
            linux["seccomp"] = seccomp.DeepClone();
        File.WriteAllText(configPath, config.ToJsonString());
        return new HostBundle(dir);
    }

    /// <summary>Runs the container to its end with runc or crun and returns its exit code and output.</summary>
    public (int ExitCode, string Output) Run(string runtime = "runc")
    {
        var path = Requires.Tool(runtime, runtime);
        var id = "pcl-" + Guid.NewGuid().ToString("N")[..12];
        string[] global = runtime == "crun" ? ["--cgroup-manager=disabled"] : [];
        try
        {
            return Requires.Run(path, [.. global, "run", "--bundle", Directory, id]);
        }
        finally
        {
            Requires.Run(path, [.. global, "delete", "-f", id]);
        }
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
