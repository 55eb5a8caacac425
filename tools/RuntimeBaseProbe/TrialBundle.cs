using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Portcullis.RuntimeBaseProbe;

/// <summary>
/// An OCI bundle whose root holds only <see cref="ExitZeroProgram"/> as /true; each <see cref="Starts"/> writes a
/// config.json with the given noNewPrivileges, user and seccomp allow list (defaultAction SCMP_ACT_ERRNO) and runs
/// it with the runtime to its end.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class TrialBundle : IDisposable
{
    private readonly string _dir;
    private readonly JsonNode _spec;

    public TrialBundle(string runtimePath, string runtimeName)
    {
        RuntimePath = runtimePath;
        RuntimeName = runtimeName;
        _dir = Path.Combine(Path.GetTempPath(), "pcl-runtime-base-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(_dir, "rootfs"));
        ExitZeroProgram.Write(Path.Combine(_dir, "rootfs", "true"));
        var (code, output) = Run(runtimePath, ["spec", "--bundle", _dir]);
        if (code != 0)
            throw new InvalidOperationException($"{runtimeName} spec failed: {output}");
        _spec = JsonNode.Parse(File.ReadAllText(Path.Combine(_dir, "config.json")))!;
        var process = _spec["process"]!.AsObject();
        process["args"] = new JsonArray("/true");
        process["terminal"] = false;
        process.Remove("rlimits");
        process.Remove("oomScoreAdj");
        _spec["linux"]!.AsObject().Remove("resources");
        _spec["root"] = new JsonObject { ["path"] = "rootfs", ["readonly"] = true };
    }

    public string RuntimePath { get; }
    public string RuntimeName { get; }

    public string Version => Run(RuntimePath, ["--version"]).Output.Split('\n')[0].Trim();

    /// <summary>Runs /true under the allow list; true when the container exits 0.</summary>
    public bool Starts(IEnumerable<string> allowed, bool noNewPrivileges, int uid, out string output)
    {
        var config = _spec.DeepClone();
        config["process"]!["noNewPrivileges"] = noNewPrivileges;
        config["process"]!["user"] = new JsonObject { ["uid"] = uid, ["gid"] = uid };
        config["linux"]!["seccomp"] = new JsonObject
        {
            ["defaultAction"] = "SCMP_ACT_ERRNO",
            ["architectures"] = new JsonArray("SCMP_ARCH_X86_64"),
            ["syscalls"] = new JsonArray(new JsonObject
            {
                ["names"] = new JsonArray(allowed.Distinct().Select(n => (JsonNode)n!).ToArray()),
                ["action"] = "SCMP_ACT_ALLOW",
            }),
        };
        File.WriteAllText(Path.Combine(_dir, "config.json"), config.ToJsonString());
        var id = "pcl-rb-" + Guid.NewGuid().ToString("N")[..10];
        string[] global = RuntimeName == "crun" ? ["--cgroup-manager=disabled"] : [];
        var (code, text) = Run(RuntimePath, [.. global, "run", "--bundle", _dir, id]);
        Run(RuntimePath, [.. global, "delete", "-f", id]);
        output = text;
        return code == 0;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Output) Run(string file, string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
            start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}
