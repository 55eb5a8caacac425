using Portcullis.Profiles.Recordings;
using Portcullis.Profiles.Seccomp;

namespace Portcullis.KernelLab.Tests;

/// <summary>What this machine's kernel cannot show, on Debian's kernel in the lab (one boot, <see cref="LabBoot"/>).</summary>
[Collection(KernelLabCollection.Name)]
public sealed class SecondKernelTests(LabBoot lab) : IClassFixture<LabBoot>
{
    [Fact]
    public void The_lab_kernel_has_apparmor_and_the_bpf_lsm_and_pure_cgroup_v2()
    {
        Assert.Contains("apparmor", lab.Part("lsm"), StringComparison.Ordinal);
        Assert.Contains("bpf", lab.Part("lsm"), StringComparison.Ordinal);
        Assert.Contains("cgroup2 /sys/fs/cgroup ", lab.Part("cgroup"), StringComparison.Ordinal);
        TestContext.Current.SendDiagnosticMessage($"VM boot and script: {lab.Boot.Elapsed.TotalSeconds:0.0} s");
    }

    [Fact]
    public void A_generated_apparmor_profile_confines_the_program_and_without_a_needed_rule_it_is_denied()
    {
        var part = lab.Part("apparmor");
        Assert.Contains(File.ReadAllText("/etc/hostname").Trim(), part, StringComparison.Ordinal);
        Assert.Contains("CAT=0", part, StringComparison.Ordinal);
        Assert.Contains("/etc/hostname: Permission denied", part, StringComparison.Ordinal);
        Assert.Contains("CAT2=1", part, StringComparison.Ordinal);
        Assert.Matches("apparmor=\"DENIED\" operation=\"open\" profile=\"portcullis-cat2\" name=\"/etc/hostname\"", part);
    }

    [Fact]
    public void The_policy_the_cluster_controller_renames_loads_confines_under_its_new_name_and_unloads()
    {
        var part = lab.Part("renamed");
        Assert.Contains("ENABLED=Y", part, StringComparison.Ordinal); // what the node agent reads to decide
        Assert.Contains("LOADED=0", part, StringComparison.Ordinal);
        Assert.Contains("RENAMED=0", part, StringComparison.Ordinal);
        Assert.Contains(File.ReadAllText("/etc/hostname").Trim(), part, StringComparison.Ordinal);
        Assert.Contains("UNLOADED=0", part, StringComparison.Ordinal);
        Assert.Contains("LEFT=0", part, StringComparison.Ordinal);
        Assert.DoesNotContain("portcullis-cat ", lab.RenamedCat, StringComparison.Ordinal);
    }

    [Fact]
    public void A_generated_profile_covers_renames_links_locks_and_the_programs_it_execs()
    {
        var part = lab.Part("files");
        Assert.True(part.Contains("FILES=0", StringComparison.Ordinal), part + "\n" + lab.FilesProfile);
        Assert.DoesNotContain("DENIED", part, StringComparison.Ordinal);
        // The link's name is locked later (k): its target must have k too, or the kernel refuses the link.
        Assert.Contains("/tmp/pcl-c rwlk,", lab.FilesProfile, StringComparison.Ordinal);
        Assert.Contains("/tmp/pcl-b rwk,", lab.FilesProfile, StringComparison.Ordinal);
        Assert.Contains("/tmp/pcl-a rw,", lab.FilesProfile, StringComparison.Ordinal);
    }

    [Fact]
    public void Runc_runs_a_container_under_a_generated_apparmor_profile_and_the_kernel_enforces_it()
    {
        var part = lab.Part("runc");
        Assert.Contains("RUNC=0", part, StringComparison.Ordinal);
        Assert.Contains(File.ReadAllText("/etc/hostname").Trim(), part, StringComparison.Ordinal);
        // runc's own log lines interleave with cat's message on the shared stderr.
        Assert.Contains("/bin/cat: /etc/hostname", part, StringComparison.Ordinal);
        Assert.Contains(": Permission denied", part, StringComparison.Ordinal);
        Assert.Contains("RUNC2=1", part, StringComparison.Ordinal);
    }

    [Fact]
    public void The_bpf_lsm_records_the_capabilities_a_command_checks()
    {
        Assert.Contains("CAPS=0", lab.Part("capabilities"), StringComparison.Ordinal);
        Assert.Contains("warning PCL5012: the ebpf backend recorded no files", lab.Part("capabilities"), StringComparison.Ordinal);
        var recording = lab.ShareFile("caps.json");
        Assert.Contains("\"CAP_CHOWN\"", recording, StringComparison.Ordinal);
        Assert.Contains("\"CAP_SYS_NICE\"", recording, StringComparison.Ordinal);
        Assert.Matches(@"capability [a-z_ ]*chown[a-z_ ]*sys_nice", lab.ShareFile("caps.profile"));
    }

    [Fact]
    public void Both_backends_record_the_same_command_on_the_second_kernel()
    {
        var part = lab.Part("backends");
        Assert.Contains("PTRACE=3", part, StringComparison.Ordinal);
        Assert.Contains("EBPF=3", part, StringComparison.Ordinal);
        foreach (var file in new[] { "ptrace.json", "ebpf.json" })
        {
            var json = lab.ShareFile(file);
            Assert.Contains("\"uname\"", json, StringComparison.Ordinal);
            Assert.Contains("\"exit_group\"", json, StringComparison.Ordinal);
        }
    }

    // This machine's hypervisor runs no 32-bit code at all; the lab's kernel under QEMU does, on any host.
    [Theory]
    [InlineData("ptrace")]
    [InlineData("ebpf")]
    public void I386_calls_and_int_0x80_from_a_64_bit_process_are_recorded_under_the_i386_table(string backend)
    {
        var part = lab.Part("i386");
        Assert.Contains($"I386-{backend}=7", part, StringComparison.Ordinal);
        Assert.Contains($"INT80-{backend}=7", part, StringComparison.Ordinal);
        var i386 = RecordingJson.Read(Path.Combine(lab.Boot.Share, $"i386-{backend}.json")).Syscalls;
        Assert.Equal(["exit", "getpid"], Names(i386, SeccompArch.X86).Order());
        Assert.DoesNotContain("getpid", Names(i386, SeccompArch.X86_64));
        // int 0x80 with 20 in eax is getpid in the i386 table; 20 is writev in the 64-bit one.
        var int80 = RecordingJson.Read(Path.Combine(lab.Boot.Share, $"int80-{backend}.json")).Syscalls;
        Assert.Equal(["getpid"], Names(int80, SeccompArch.X86));
        Assert.DoesNotContain("writev", Names(int80, SeccompArch.X86_64));
        Assert.Contains("exit_group", Names(int80, SeccompArch.X86_64));
    }

    private static IEnumerable<string> Names(IEnumerable<SyscallObservation> syscalls, SeccompArch arch) =>
        syscalls.Where(s => s.Architecture == arch && s.Name is not null).Select(s => s.Name!);
}
