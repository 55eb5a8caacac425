using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Portcullis.KernelLab.Tests;

/// <summary>
/// One boot for the sample under its generated AppArmor profile: on the host, TodoApi is published as a user
/// would with Portcullis.Build (`-p:PortcullisGenerate=true`: tests recorded, IL analysed, profiles generated);
/// in the VM, runc runs the published app as a container (process.apparmorProfile = the generated profile,
/// the host's network, the app at /app) and curl drives it; then again with the profile's IP network rules
/// taken out.
/// </summary>
public sealed partial class SampleAppBoot : IDisposable
{
    private readonly SampleWorkspace _workspace;

    public SampleAppBoot()
    {
        _workspace = SampleWorkspace.Create("TodoApi");
        var (code, output) = Dotnet.Run(_workspace.Root, "publish", _workspace.Project, "-c", "Release", "-nologo", "-p:PortcullisGenerate=true");
        Assert.True(code == 0, output);
        Profile = File.ReadAllText(Path.Combine(_workspace.ProfileDirectory(), "apparmor.profile"));
        var withoutIp = Regex.Replace(Profile, @"  network inet6?,\n", "").Replace("profile portcullis-todoapi ", "profile portcullis-todoapi-noip ", StringComparison.Ordinal);

        Boot = KernelVm.Run("""
            apparmor_parser -r /mnt/todoapi.profile /mnt/todoapi-noip.profile || echo PARSE-FAILED
            drive() {
              runc run --bundle /mnt/$1 $1 > /tmp/$1.log 2>&1 &
              pid=$!
              for i in $(seq $2); do curl -sf http://127.0.0.1:18080/health > /dev/null && break; kill -0 $pid 2> /dev/null || break; sleep 1; done
              echo "HEALTH=$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:18080/health)"
              curl -s -X POST -H 'content-type: application/json' -d '{"title":"confined"}' http://127.0.0.1:18080/todos; echo
              curl -s http://127.0.0.1:18080/todos; echo
              curl -s http://127.0.0.1:18080/stats; echo
              runc kill $1 KILL; sleep 2; runc delete -f $1
              dmesg | grep 'apparmor="DENIED"' | grep "profile=\"portcullis-todoapi" | grep -v 'operation="signal"'; dmesg -C
            }
            echo "== confined"; drive todoapi 120
            echo "== noip"; drive noip 30
            echo "== end"
            """, KernelVm.HangLimit, share =>
            {
                File.WriteAllText(Path.Combine(share, "todoapi.profile"), Profile);
                File.WriteAllText(Path.Combine(share, "todoapi-noip.profile"), withoutIp);
                CopyDirectory(_workspace.PublishDirectory, Path.Combine(share, "app"));
                Bundle(Path.Combine(share, "todoapi"), "portcullis-todoapi");
                Bundle(Path.Combine(share, "noip"), "portcullis-todoapi-noip");
            });
    }

    public KernelVm.Result Boot { get; }
    public string Profile { get; }

    public string Part(string name) => Boot.Part(name);

    // The published app as a container: its directory at /app (from the VM's share), the host's network,
    // a tmpfs /tmp, confined by the named profile.
    private static void Bundle(string dir, string profile)
    {
        ImageBundle.WriteHostBundle(dir, ["/app/TodoApi"]);
        var path = Path.Combine(dir, "config.json");
        var config = JsonNode.Parse(File.ReadAllText(path))!;
        var process = config["process"]!;
        process["cwd"] = "/app";
        process["apparmorProfile"] = profile;
        foreach (var env in new[] { "ASPNETCORE_HTTP_PORTS=18080", "DOTNET_ROOT=/usr/share/dotnet", "HOME=/tmp" })
            process["env"]!.AsArray().Add((JsonNode)env);
        var namespaces = config["linux"]!["namespaces"]!.AsArray();
        foreach (var ns in namespaces.Where(n => n!["type"]!.GetValue<string>() == "network").ToList())
            namespaces.Remove(ns);
        Directory.CreateDirectory(Path.Combine(dir, "rootfs", "app"));
        Directory.CreateDirectory(Path.Combine(dir, "rootfs", "tmp"));
        var mounts = config["mounts"]!.AsArray();
        mounts.Add(new JsonObject { ["destination"] = "/app", ["type"] = "bind", ["source"] = "/mnt/app", ["options"] = new JsonArray("rbind", "ro") });
        mounts.Add(new JsonObject { ["destination"] = "/tmp", ["type"] = "tmpfs", ["source"] = "tmpfs", ["options"] = new JsonArray("nosuid", "nodev") });
        File.WriteAllText(path, config.ToJsonString());
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
            if (Path.GetFileName(file) == "TodoApi")
                File.SetUnixFileMode(target, File.GetUnixFileMode(file));
        }
    }

    public void Dispose() => _workspace.Dispose();
}
