using System.Diagnostics;
using Xunit;

namespace Portcullis.Testing;

/// <summary>
/// A second kernel for the tests: Debian's own (AppArmor and the BPF LSM on: lsm=landlock,lockdown,yama,apparmor,bpf)
/// booted under QEMU's software emulation (/dev/kvm exists here but hangs) with this machine's / read-only over
/// virtio-9p, pure cgroup v2 at /sys/fs/cgroup, the checkout at its own path (also under /tmp, which is a tmpfs in the
/// VM), and a writable share at /mnt. scripts/kernel-lab.sh prepares the
/// kernel and initramfs (cached by version; .ci/run does it through install-deps.sh). One boot runs one script:
/// a test class boots once and asserts on the parts of its output. Missing qemu: skipped locally, failed under CI.
/// </summary>
public static class KernelVm
{
    /// <summary>
    /// How long a boot may take before it counts as hung. Software emulation slows by the machine's load: a boot of
    /// seconds took minutes on a loaded 2-core CI machine, so this only catches a VM that never finishes.
    /// </summary>
    public static readonly TimeSpan HangLimit = TimeSpan.FromMinutes(25);

    /// <summary>What one boot printed (stdout and stderr of the script), its exit status and how long it took.</summary>
    public sealed record Result(int ExitCode, string Output, TimeSpan Elapsed, string Share)
    {
        /// <summary>What the script printed between "== NAME" and the next "== " marker.</summary>
        public string Part(string name)
        {
            var match = System.Text.RegularExpressions.Regex.Match(Output, $"== {System.Text.RegularExpressions.Regex.Escape(name)}\\n(.*?)(?=\\n== |\\z)", System.Text.RegularExpressions.RegexOptions.Singleline);
            Assert.True(match.Success, $"the VM printed no '{name}' part:\n{Output}");
            return match.Groups[1].Value;
        }
    }

    /// <param name="prepare">Fills the share (the VM's /mnt) before the boot: files, bundles.</param>
    public static Result Run(string script, TimeSpan timeout, Action<string>? prepare = null)
    {
        var qemu = Requires.Tool("qemu-system-x86_64", "qemu-system-x86");
        Requires.Tool("busybox", "busybox-static");
        var (code, dirOutput) = Requires.Run("bash", Path.Combine(Repo.Root, "scripts", "kernel-lab.sh"));
        Assert.True(code == 0, "kernel-lab.sh failed: " + dirOutput);
        var lab = dirOutput.Trim().Split('\n')[^1];

        var share = Directory.CreateTempSubdirectory("portcullis-vm-").FullName;
        File.WriteAllText(Path.Combine(share, "command.sh"), script);
        prepare?.Invoke(share);
        var serial = Path.Combine(share, "serial.log");
        // The checkout (test binaries, the packed CLI) at its own path inside the VM, wherever it is: the VM's /tmp is a
        // tmpfs of its own. The kernel command line carries the path, so it must be one word.
        var checkout = Repo.Root;
        Assert.False(checkout.Any(char.IsWhiteSpace), $"the kernel lab cannot share a checkout whose path has white space: '{checkout}'");
        var start = new ProcessStartInfo(qemu) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[]
        {
            "-accel", "tcg", "-cpu", "max", "-smp", "2", "-m", "2048", "-no-reboot", "-display", "none", "-monitor", "none",
            "-kernel", Path.Combine(lab, "vmlinuz"), "-initrd", Path.Combine(lab, "initrd.gz"),
            "-append", $"console=ttyS0 lsm=landlock,lockdown,yama,apparmor,bpf panic=-1 quiet portcullis.checkout={checkout}",
            "-virtfs", "local,path=/,mount_tag=host,security_model=none,readonly=on,multidevs=remap",
            "-virtfs", $"local,path={share},mount_tag=share,security_model=none",
            "-virtfs", $"local,path={checkout},mount_tag=checkout,security_model=none,readonly=on,multidevs=remap",
            "-serial", "file:" + serial,
        })
            start.ArgumentList.Add(a);
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill();
            process.WaitForExit();
            Assert.Fail($"the VM did not finish within {timeout.TotalSeconds:0} s; serial console:\n{Tail(serial)}");
        }
        var statusFile = Path.Combine(share, "status");
        Assert.True(File.Exists(statusFile), $"the VM ran no script (qemu exit {process.ExitCode}: {stdout.Result}{stderr.Result}); serial console:\n{Tail(serial)}");
        var output = File.Exists(Path.Combine(share, "output")) ? File.ReadAllText(Path.Combine(share, "output")) : "";
        return new Result(int.Parse(File.ReadAllText(statusFile).Trim(), System.Globalization.CultureInfo.InvariantCulture), output, watch.Elapsed, share);
    }

    private static string Tail(string file) =>
        File.Exists(file) ? string.Join('\n', File.ReadAllLines(file).TakeLast(30)) : "(no serial output)";
}
