
namespace Portcullis.KernelLab.Tests;

/// <summary>
/// One boot of the lab's kernel for the whole class: on the host, `portcullis record --backend ptrace
/// --apparmor` makes a profile for cat; in the VM, that profile is loaded and enforced (and again without the
/// rule cat needs), the eBPF recorder records capabilities through the BPF LSM, and both backends record the
/// same command on this second kernel (pure cgroup v2). Each part prints between markers for the tests.
/// </summary>
public sealed class LabBoot
{
    public LabBoot()
    {
        var portcullis = Path.Combine(AppContext.BaseDirectory, "portcullis.dll");
        var share = Directory.CreateTempSubdirectory("portcullis-lab-host-").FullName;
        var profile = Path.Combine(share, "cat.profile");
        var (code, output) = Requires.Run("dotnet", "exec", portcullis, "record", "--backend", "ptrace", "-o", Path.Combine(share, "cat.json"), "--apparmor", profile, "--profile-name", "portcullis-cat", "--", "/bin/cat", "/etc/hostname");
        Assert.True(code == 0, output);
        CatProfile = File.ReadAllText(profile);
        var files = Path.Combine(share, "files.profile");
        (code, output) = Requires.Run("dotnet", "exec", portcullis, "record", "--backend", "ptrace", "-o", Path.Combine(share, "files.json"), "--apparmor", files, "--profile-name", "portcullis-files", "--", "/bin/sh", "-c", FilesScript);
        Assert.True(code == 0, output);
        FilesProfile = File.ReadAllText(files);
        Directory.Delete(share, recursive: true);
        // What the cluster controller makes of an image's AppArmor artifact: the same policy under the name pods are bound to.
        RenamedCat = Portcullis.Runtime.Controller.ClusterPolicy.RenameAppArmor(System.Text.Encoding.UTF8.GetBytes(CatProfile), RenamedName);

        var run = $"dotnet exec {portcullis}";
        Boot = KernelVm.Run($$"""
            export DOTNET_CLI_HOME=/tmp DOTNET_NOLOGO=1
            echo "== lsm"; cat /sys/kernel/security/lsm; echo
            echo "== cgroup"; grep cgroup2 /proc/self/mounts
            echo "== apparmor"
            apparmor_parser -r /mnt/cat.profile && aa-exec -p portcullis-cat -- /bin/cat /etc/hostname; echo "CAT=$?"
            grep -v '/etc/hostname' /mnt/cat.profile | sed 's/portcullis-cat /portcullis-cat2 /' > /tmp/cat2.profile
            apparmor_parser -r /tmp/cat2.profile && aa-exec -p portcullis-cat2 -- /bin/cat /etc/hostname; echo "CAT2=$?"
            dmesg | grep 'apparmor="DENIED"' | grep portcullis-cat2
            echo "== files"
            apparmor_parser -r /mnt/files.profile && aa-exec -p portcullis-files -- /bin/sh -c '{{FilesScript}}'; echo "FILES=$?"
            dmesg | grep 'apparmor="DENIED"' | grep portcullis-files
            echo "== renamed"
            echo "ENABLED=$(cat /sys/module/apparmor/parameters/enabled)"
            apparmor_parser -r /mnt/renamed.profile; echo "LOADED=$?"
            grep -c '^{{RenamedName}} ' /sys/kernel/security/apparmor/profiles
            aa-exec -p {{RenamedName}} -- /bin/cat /etc/hostname; echo "RENAMED=$?"
            apparmor_parser -R /mnt/renamed.profile; echo "UNLOADED=$?"
            echo "LEFT=$(grep -c '^{{RenamedName}} ' /sys/kernel/security/apparmor/profiles)"
            echo "== runc"
            runc run --bundle /mnt/bundle lab1; echo "RUNC=$?"
            sed -i 's/"apparmorProfile":"portcullis-cat"/"apparmorProfile":"portcullis-cat2"/' /mnt/bundle/config.json && runc run --bundle /mnt/bundle lab2; echo "RUNC2=$?"
            echo "== capabilities"
            {{run}} record --backend ebpf -o /mnt/caps.json --apparmor /mnt/caps.profile -- /bin/sh -c 'touch /tmp/f && chown 1 /tmp/f && nice -n -5 true'; echo "CAPS=$?"
            echo "== backends"
            {{run}} record --backend ptrace -o /mnt/ptrace.json -- /bin/sh -c 'uname > /dev/null; exit 3'; echo "PTRACE=$?"
            {{run}} record --backend ebpf -o /mnt/ebpf.json -- /bin/sh -c 'uname > /dev/null; exit 3'; echo "EBPF=$?"
            echo "== i386"
            for b in ptrace ebpf; do
              {{run}} record --backend $b -o /mnt/i386-$b.json -- /mnt/i386; echo "I386-$b=$?"
              {{run}} record --backend $b -o /mnt/int80-$b.json -- /mnt/int80; echo "INT80-$b=$?"
            done
            echo "== end"
            """, KernelVm.HangLimit, share =>
            {
                File.Move(TinyPrograms.I386(share), Path.Combine(share, "i386"));
                File.Move(TinyPrograms.Int80From64Bit(share), Path.Combine(share, "int80"));
                File.WriteAllText(Path.Combine(share, "cat.profile"), CatProfile);
                File.WriteAllText(Path.Combine(share, "files.profile"), FilesProfile);
                File.WriteAllText(Path.Combine(share, "renamed.profile"), RenamedCat);
                CatBundle(Path.Combine(share, "bundle"));
            });
    }

    // Writes, a rename, a hard link, a lock and execs of other programs: the permissions AppArmor checks beyond r and w.
    private const string FilesScript = "cd /tmp && echo x > pcl-a && mv pcl-a pcl-b && ln pcl-b pcl-c && flock pcl-c cat pcl-c && rm pcl-b pcl-c";

    // A runc bundle over the host's read-only /usr, /lib, /etc...: cat confined by process.apparmorProfile.
    private static void CatBundle(string bundle)
    {
        ImageBundle.WriteHostBundle(bundle, ["/bin/cat", "/etc/hostname"]);
        var path = Path.Combine(bundle, "config.json");
        var config = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!;
        config["process"]!["apparmorProfile"] = "portcullis-cat";
        File.WriteAllText(path, config.ToJsonString());
    }

    public KernelVm.Result Boot { get; }
    public string FilesProfile { get; }
    public string CatProfile { get; }
    public string RenamedCat { get; }
    public const string RenamedName = "portcullis-sha256-0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9";

    public string Part(string name) => Boot.Part(name);

    public string ShareFile(string name) => File.ReadAllText(Path.Combine(Boot.Share, name));
}
