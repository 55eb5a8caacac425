using Portcullis.Profiles.Seccomp;
using Portcullis.Profiles.Recordings;
using static Portcullis.Recorder.Tests.Targets;

namespace Portcullis.Recorder.Tests;

/// <summary>Both backends on the real kernel (CI runs as root, so the eBPF ones never skip there).</summary>
[Collection(RecorderCollection.Name)]
public sealed class RecordTests
{
    public static TheoryData<BackendChoice> Backends => [BackendChoice.Ptrace, BackendChoice.Ebpf];

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task True_is_recorded_from_its_execve(BackendChoice backend)
    {
        var r = await Record(backend, "/bin/true");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(backend == BackendChoice.Ebpf ? Backend.Ebpf : Backend.Ptrace, r.Backend);
        var names = Names(r);
        // eBPF arms at the execve and adds that execve itself, so "execve" proves nothing there: the dynamic
        // loader's first call (brk) does, and it must be there for both backends.
        Assert.Contains("brk", names);
        Assert.Contains("exit_group", names);
        if (backend == BackendChoice.Ptrace)
            Assert.Contains("execve", names);
        // The launcher is a .NET process; none of its start-up (e.g. its many mmap/futex calls) may leak in.
        Assert.True(r.Recording.Syscalls.Sum(s => s.Count) < 100, $"{r.Recording.Syscalls.Sum(s => s.Count)} calls for /bin/true");
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_pipeline_propagates_its_exit_code_and_shows_uname(BackendChoice backend)
    {
        var r = await Record(backend, "/bin/sh", "-c", "uname -a | tr a-z A-Z > /dev/null; exit 3");
        Assert.Equal(3, r.ExitCode);
        Assert.Contains("uname", Names(r));
        Assert.Contains("pipe2", Names(r));
        Assert.Equal(["/bin/sh", "-c", "uname -a | tr a-z A-Z > /dev/null; exit 3"], r.Recording.Command);
    }

    [Fact]
    public async Task Ebpf_and_ptrace_agree_on_the_syscall_set()
    {
        string[] command = ["-c", "uname -a | tr a-z A-Z > /dev/null; cat /etc/hostname > /dev/null; exit 0"];
        var ptrace = await Record(BackendChoice.Ptrace, "/bin/sh", command);
        var ebpf = await Record(BackendChoice.Ebpf, "/bin/sh", command);
        Assert.Equal(Names(ptrace).Order(), Names(ebpf).Order());
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Every_thread_of_a_dotnet_program_is_seen(BackendChoice backend)
    {
        var r = await RecordWorkload(backend, "threads");
        Assert.Equal(0, r.ExitCode);
        var uname = r.Recording.Syscalls.Single(s => s.Architecture == SeccompArch.X86_64 && s.Name == "uname");
        Assert.True(uname.Count >= 12, $"uname seen {uname.Count} times; 4 threads call it 3 times each");
        Assert.Contains("clone3", Names(r));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Children_that_exec_others_are_followed(BackendChoice backend)
    {
        var r = await RecordWorkload(backend, "spawn");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("getuid", Names(r));
        if (backend == BackendChoice.Ptrace)
        {
            Assert.Contains("/usr/bin/id", r.Recording.Executables);
            Assert.Contains(r.Recording.Executables, e => e.EndsWith("/dash", StringComparison.Ordinal) || e.EndsWith("/sh", StringComparison.Ordinal));
        }
    }

    // The analyzer leaves the identity switch out of Process.Start unless the app sets ProcessStartInfo.UserName, and
    // chdir unless it sets WorkingDirectory (Knowledge/ArgumentGuards): the child makes them only then.
    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_started_process_switches_identity_or_directory_only_when_asked(BackendChoice backend)
    {
        string[] identity = ["setgroups", "setgid", "setuid"];
        var plain = await RecordWorkload(backend, "spawn-as");
        var asRoot = await RecordWorkload(backend, "spawn-as", "root");
        var inTmp = await RecordWorkload(backend, "spawn-in", "/tmp");

        Assert.Equal([0, 0, 0], [plain.ExitCode, asRoot.ExitCode, inTmp.ExitCode]);
        Assert.Empty(identity.Append("getgroups").Append("chdir").Intersect(Names(plain)));
        Assert.Subset(Names(asRoot), identity.ToHashSet());
        Assert.Contains("chdir", Names(inTmp));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_program_killed_by_a_signal_exits_128_plus_the_signal(BackendChoice backend)
    {
        var r = await Record(backend, "/bin/sh", "-c", "kill -9 $$");
        Assert.Equal(137, r.ExitCode);
        Assert.Contains("kill", Names(r));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Cancelling_forwards_sigterm_and_returns_what_was_recorded(BackendChoice backend)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var pidFile = Path.Combine(Path.GetTempPath(), $"portcullis-sleep-{Guid.NewGuid():N}");
        var recording = Recorder.RecordAsync(Request(backend, "/bin/sh", "-c", $"echo $$ > {pidFile}; exec /bin/sleep 30"), cancel.Token);
        // Cancel once sleep is inside clock_nanosleep (230 on x86_64, as /proc/PID/syscall shows), not after a fixed wait.
        while (!IsIn(pidFile, "230"))
            await Task.Delay(50, TestContext.Current.CancellationToken);
        await cancel.CancelAsync();
        var r = await recording;
        File.Delete(pidFile);
        Assert.Equal(128 + 15, r.ExitCode);
        Assert.Contains("clock_nanosleep", Names(r));
    }

    private static bool IsIn(string pidFile, string syscall)
    {
        try
        {
            var pid = File.ReadAllText(pidFile).Trim();
            return pid.Length > 0 && File.ReadAllText($"/proc/{pid}/syscall").Split(' ')[0] == syscall;
        }
        catch (IOException)
        {
            return false;
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task X32_calls_are_kept_apart_from_the_64_bit_table(BackendChoice backend)
    {
        var x32 = await RecordWorkload(backend, "x32");
        var call = Assert.Single(x32.Recording.Syscalls, s => s.Architecture == SeccompArch.X32);
        Assert.Equal(("getpid", 0x40000000 | 39), (call.Name, call.Number));
    }

    // The i386 table itself is proven in the kernel lab (tests/Portcullis.KernelLab.Tests), whose kernel runs 32-bit
    // code on any host. Here: where this kernel refuses it, the recorder says so and records nothing under a wrong table.
    [Theory]
    [MemberData(nameof(Backends))]
    public async Task An_i386_program_is_recorded_under_the_i386_table_or_refused_with_PCL5014(BackendChoice backend)
    {
        var program = TinyPrograms.I386();
        try
        {
            if (HostRunsI386(program))
            {
                var r = await Record(backend, program);
                Assert.Equal(["exit", "getpid"], Names(r, SeccompArch.X86).Order());
                return;
            }
            var recording = Path.Combine(Path.GetTempPath(), $"portcullis-i386-{Guid.NewGuid():N}.json");
            var (code, output) = Requires.Run(Launcher.Executable, "exec", Launcher.Prefix[1], "record", "--backend", backend.ToString().ToLowerInvariant(), "-o", recording, "--", program);
            Assert.Equal(127, code);
            Assert.Contains("PCL5014: the kernel refuses to run", output, StringComparison.Ordinal);
            Assert.Contains("32-bit i386 ELF program", output, StringComparison.Ordinal);
            var recorded = RecordingJson.Read(recording).Syscalls;
            File.Delete(recording);
            // The failed execve is all: not /bin/sh reading the program as a script (what execvpe falls back to).
            Assert.Equal(["execve"], recorded.Select(s => s.Name));
        }
        finally
        {
            File.Delete(program);
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Int_0x80_where_the_kernel_refuses_it_records_no_call_under_either_table(BackendChoice backend)
    {
        var i386 = TinyPrograms.I386();
        var program = TinyPrograms.Int80From64Bit();
        try
        {
            var r = await Record(backend, program);
            if (HostRunsI386(i386))
            {
                Assert.Equal(7, r.ExitCode);
                Assert.Equal(["getpid"], Names(r, SeccompArch.X86));
            }
            else
            {
                Assert.Equal(128 + 11, r.ExitCode);
                Assert.Empty(Names(r, SeccompArch.X86));
            }
            // 20 is writev in the 64-bit table: an int 0x80 call is never read as a 64-bit one.
            Assert.DoesNotContain("writev", Names(r));
        }
        finally
        {
            File.Delete(i386);
            File.Delete(program);
        }
    }

    private static bool HostRunsI386(string program)
    {
        try
        {
            using var p = System.Diagnostics.Process.Start(program);
            p.WaitForExit();
            return p.ExitCode == 7;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    [Fact]
    public async Task Ptrace_sees_files_executables_sockets_and_bound_ports()
    {
        var dir = Directory.CreateTempSubdirectory("portcullis-io-").FullName;
        var port = Testing.FreePort.Next();
        try
        {
            var r = await RecordWorkload(BackendChoice.Ptrace, "io", dir, port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(0, r.ExitCode);
            var data = Assert.Single(r.Recording.Files, f => f.Path == Path.Combine(dir, "data.txt"));
            Assert.True(data.Access.HasFlag(FileAccessKind.Create) && data.Access.HasFlag(FileAccessKind.Write) && data.Access.HasFlag(FileAccessKind.Delete), data.Access.ToString());
            Assert.Contains(r.Recording.Files, f => f.Path.EndsWith("/System.Private.CoreLib.dll", StringComparison.Ordinal) && f.Access.HasFlag(FileAccessKind.Read));
            Assert.Contains(r.Recording.Files, f => f.Path.EndsWith("/libcoreclr.so", StringComparison.Ordinal) && f.Access.HasFlag(FileAccessKind.MmapExec));
            Assert.Contains(r.Recording.Sockets, s => s.FamilyName is "inet" or "inet6" && s.TypeName == "stream");
            Assert.Contains(r.Recording.Sockets, s => s.BoundPort == port);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_file_read_after_it_was_created_is_recorded_as_read_too()
    {
        var dir = Directory.CreateTempSubdirectory("portcullis-rw-").FullName;
        try
        {
            var file = Path.Combine(dir, "later.txt");
            var r = await Record(BackendChoice.Ptrace, "/bin/sh", "-c", $"cat {file} 2>/dev/null; echo x > {file}; cat {file} > /dev/null");
            var seen = Assert.Single(r.Recording.Files, f => f.Path == file);
            Assert.True(seen.Access.HasFlag(FileAccessKind.Read) && seen.Access.HasFlag(FileAccessKind.Create), seen.Access.ToString());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task The_ebpf_cgroup_is_removed_afterwards()
    {
        await Record(BackendChoice.Ebpf, "/bin/sh", "-c", "sleep 0.1 & exit 0");
        var mount = Ebpf.CgroupV2.FindMount()!;
        Assert.Empty(Directory.GetDirectories(mount, $"portcullis-{Environment.ProcessId}-*"));
    }

    [Fact]
    public async Task Ebpf_follows_processes_into_child_cgroups_and_removes_them_afterwards()
    {
        var mount = Ebpf.CgroupV2.FindMount()!;
        // The shell moves itself into a child of the recording cgroup, leaves a sleeper there, and calls uname.
        var script = $"cg=$(grep '^0::' /proc/self/cgroup | cut -d: -f3); mkdir {mount}$cg/child; echo $$ > {mount}$cg/child/cgroup.procs; sleep 30 & " +
            "moved=$(grep '^0::' /proc/self/cgroup | cut -d: -f3); case $moved in */child) uname > /dev/null;; *) echo \"still in $moved\" >&2; exit 9;; esac";
        var r = await Record(BackendChoice.Ebpf, "/bin/sh", "-c", script);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("uname", Names(r));
        Assert.Contains(r.Warnings, w => w.Id == Profiles.Diagnostics.DiagnosticId.ProcessesLeftRunning);
        Assert.Empty(Directory.GetDirectories(mount, $"portcullis-{Environment.ProcessId}-*"));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_missing_program_is_exit_127_with_a_coded_message(BackendChoice backend)
    {
        var r = await Record(backend, "/no/such/program");
        Assert.Equal(127, r.ExitCode);
        // The launcher says why on the command's stderr, which a library caller shares: run the CLI to read it.
        var (code, output) = Requires.Run(Launcher.Executable, "exec", Launcher.Prefix[1], "record", "--backend", backend.ToString().ToLowerInvariant(), "-o", Path.Combine(Path.GetTempPath(), $"portcullis-missing-{Guid.NewGuid():N}.json"), "--", "/no/such/program");
        Assert.Equal(127, code);
        Assert.Contains("PCL5002: cannot execute '/no/such/program': No such file or directory", output, StringComparison.Ordinal);
    }
}
