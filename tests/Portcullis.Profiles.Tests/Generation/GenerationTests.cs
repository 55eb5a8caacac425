using Portcullis.Profiles.AppArmor;
using Portcullis.Profiles.Diagnostics;
using Portcullis.Profiles.Seccomp;
using Portcullis.Profiles.Generation;
using Portcullis.Profiles.Recordings;

namespace Portcullis.Profiles.Tests.Generation;

public sealed class GenerationTests
{
    [Theory]
    [InlineData("/proc/1234/status", "/proc/@{pid}/status")]
    [InlineData("/proc/1234/task/1240/comm", "/proc/@{pid}/task/@{tid}/comm")]
    [InlineData("/proc/self/maps", "/proc/self/maps")]
    [InlineData("/tmp/clr-debug-pipe-4021-2817634-in", "/tmp/clr-debug-pipe-*-*-in")]
    [InlineData("/tmp/dotnet-diagnostic-4021-2817634-socket", "/tmp/dotnet-diagnostic-*-*-socket")]
    [InlineData("/tmp/tmpAb3xZ9.tmp", "/tmp/*.tmp")]
    [InlineData("/tmp/0f8fad5b-d9cb-469f-a165-70867728950e/data", "/tmp/*/data")]
    [InlineData("/var/tmp/build/output.txt", "/var/tmp/build/output.txt")]
    [InlineData("/app/data/123/todo.json", "/app/data/123/todo.json")]
    public void Paths_are_generalised_where_they_change_per_run(string path, string expected) =>
        Assert.Equal(expected, PathGeneralizer.Generalize(path));

    private static readonly HashSet<Backend> Ptrace = [Backend.Ptrace];

    private static Recording Sample => new()
    {
        Syscalls =
        [
            new SyscallObservation(SeccompArch.X86_64, 0, "read", 10, Ptrace),
            new SyscallObservation(SeccompArch.X86_64, 63, "uname", 1, Ptrace),
            new SyscallObservation(SeccompArch.X86_64, 999, null, 1, Ptrace),
        ],
        Files =
        [
            new FileObservation("/etc/hosts", FileAccessKind.Read, Ptrace),
            new FileObservation("/usr/bin/id", FileAccessKind.Execute, Ptrace),
            new FileObservation("/usr/lib/x86_64-linux-gnu/libc.so.6", FileAccessKind.MmapExec | FileAccessKind.Read, Ptrace),
            new FileObservation("/tmp/app-1234/out.txt", FileAccessKind.Create | FileAccessKind.Write, Ptrace),
            new FileObservation("/tmp/app-5678/out.txt", FileAccessKind.Create | FileAccessKind.Write, Ptrace),
            new FileObservation("/proc/99/status", FileAccessKind.Read, Ptrace),
            new FileObservation("/etc/passwd", FileAccessKind.Stat, Ptrace),
        ],
        Sockets =
        [
            new SocketObservation(SocketNames.AF_INET, 1, 6, null, null, Ptrace),
            new SocketObservation(SocketNames.AF_INET, 0, 0, 8080, null, Ptrace),
            new SocketObservation(SocketNames.AF_UNIX, 0, 0, null, "/run/app.sock", Ptrace),
        ],
        Capabilities = ["CAP_NET_BIND_SERVICE"],
    };

    private static GeneratedSeccomp Generate(Recording r, DiagnosticBag bag, params SeccompArch[] targets) =>
        SeccompGenerator.Generate(new GenerationRequest { Recordings = [new LabeledRecording("Sample.Tests", r)], Targets = targets }, bag);

    [Fact]
    public void The_seccomp_profile_allows_what_was_recorded_plus_the_bases_and_says_why()
    {
        var bag = new DiagnosticBag();
        var g = Generate(Sample, bag);
        var p = g.Profile;
        Assert.Equal((SeccompAction.Errno, 1u), (p.DefaultAction, p.DefaultErrnoRet));
        Assert.Equal([SeccompArch.X86_64, SeccompArch.X86, SeccompArch.X32], p.Architectures);
        var recorded = p.Syscalls.Single(r => r.Comment == SeccompGenerator.RecordedComment);
        Assert.Equal(["read", "uname"], recorded.Names);
        var runtime = p.Syscalls.Single(r => r.Comment == SeccompGenerator.BaseComment);
        Assert.Contains("execve", runtime.Names);
        Assert.Contains("openat2", runtime.Names);
        Assert.DoesNotContain("read", runtime.Names);
        Assert.Equal(new SyscallReason(SourceKind.Recorded, "Sample.Tests"), g.Allowed["uname"][0]);
        Assert.Contains("999", Assert.Single(bag.Items).Message, StringComparison.Ordinal);
        Assert.DoesNotContain(SeccompValidator.Validate(p), d => d.Severity == Severity.Error);
    }

    [Theory]
    [InlineData("clock_gettime")]
    [InlineData("gettimeofday")]
    [InlineData("time")]
    [InlineData("getcpu")]
    [InlineData("clock_getres")]
    public void vDSO_calls_are_allowed_though_never_recorded(string name)
    {
        var g = Generate(Sample, new DiagnosticBag());
        Assert.Equal(SourceKind.Vdso, g.Allowed[name][0].Kind);
        Assert.Contains(g.Profile.Syscalls, r => r.Action == SeccompAction.Allow && r.Names.Contains(name));
    }

    [Fact]
    public void Syscalls_newer_than_anything_allowed_return_ENOSYS_and_older_ones_EPERM()
    {
        var g = Generate(Sample, new DiagnosticBag());
        var enosys = g.Profile.Syscalls.Single(r => r.ErrnoRet == 38);
        Assert.Equal(SeccompAction.Errno, enosys.Action);
        // faccessat2 (439) is the newest the runtime base allows: clone3 (435) is listed anyway, newer ones too.
        Assert.Contains("clone3", enosys.Names);
        Assert.Contains("epoll_pwait2", enosys.Names);
        Assert.Contains("futex_waitv", enosys.Names);
        Assert.DoesNotContain("ptrace", enosys.Names);
        Assert.DoesNotContain("faccessat2", enosys.Names);
    }

    [Fact]
    public void Io_uring_is_left_out_with_a_warning_unless_asked_for()
    {
        var r = Sample with { Syscalls = [.. Sample.Syscalls, new SyscallObservation(SeccompArch.X86_64, 425, "io_uring_setup", 1, Ptrace)] };
        var bag = new DiagnosticBag();
        var g = Generate(r, bag);
        Assert.False(g.Allowed.ContainsKey("io_uring_setup"));
        Assert.Contains("io_uring_setup", g.LeftOut);
        Assert.Contains(bag.Items, d => d.Id == DiagnosticId.IoUringDenied);
        Assert.DoesNotContain(g.Profile.Syscalls, rule => rule.Names.Contains("io_uring_setup"));

        var allowed = SeccompGenerator.Generate(new GenerationRequest { Recordings = [new("t", r)], AllowIoUring = true }, new DiagnosticBag());
        Assert.True(allowed.Allowed.ContainsKey("io_uring_setup"));
    }

    [Fact]
    public void An_arm64_target_gets_the_names_aarch64_has_and_each_translation_is_listed()
    {
        var r = Sample with { Syscalls = [.. Sample.Syscalls, new SyscallObservation(SeccompArch.X86_64, 2, "open", 3, Ptrace), new SyscallObservation(SeccompArch.X86_64, 57, "fork", 1, Ptrace)] };
        var g = Generate(r, new DiagnosticBag(), SeccompArch.Aarch64);
        Assert.Equal([SeccompArch.Aarch64, SeccompArch.Arm], g.Profile.Architectures);
        Assert.Contains(g.Translations, t => t.From == "open" && t.Target == SeccompArch.Aarch64 && t.To.Contains("openat"));
        Assert.Contains(g.Translations, t => t.From == "fork" && t.To.Contains("clone"));
        var names = g.Profile.Syscalls.Where(x => x.Action == SeccompAction.Allow).SelectMany(x => x.Names).ToList();
        Assert.All(names, n => Assert.True(ArchTranslation.ExistsOnFamily(n, SeccompArch.Aarch64), n));
        Assert.Contains("openat", names);
    }

    [Fact]
    public void Denied_syscalls_fall_to_the_default_action()
    {
        var g = SeccompGenerator.Generate(new GenerationRequest { Recordings = [new("t", Sample)], Deny = ["uname"] }, new DiagnosticBag());
        Assert.DoesNotContain(g.Profile.Syscalls, r => r.Names.Contains("uname"));
        Assert.Contains("uname", g.LeftOut);
    }

    [Fact]
    public void The_apparmor_profile_holds_only_what_was_recorded_and_apparmor_parser_accepts_it()
    {
        var p = AppArmorGenerator.FromRecording(Sample, "portcullis-sample");
        var text = AppArmorRenderer.Render(p);
        Assert.Contains("  /etc/hosts r,\n", text, StringComparison.Ordinal);
        Assert.Contains("  /usr/bin/id mrix,\n", text, StringComparison.Ordinal);
        Assert.Contains("  /usr/lib/x86_64-linux-gnu/libc.so.6 mr,\n", text, StringComparison.Ordinal);
        Assert.Contains("  /tmp/app-*/out.txt w,\n", text, StringComparison.Ordinal);
        Assert.Contains("  /proc/@{pid}/status r,\n", text, StringComparison.Ordinal);
        Assert.Contains("  network inet stream,\n", text, StringComparison.Ordinal);
        Assert.Contains("  network unix,\n", text, StringComparison.Ordinal);
        Assert.Contains("  capability net_bind_service,\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("/etc/passwd", text, StringComparison.Ordinal);
        Assert.Empty(AppArmorValidator.Validate(p));
        Assert.Empty(new AppArmorParserProcess().Check(text, default));
    }

    [Fact]
    public void Renames_links_locks_and_execs_get_the_permissions_apparmor_checks_and_literal_names_are_escaped()
    {
        var r = new Recording
        {
            Files =
            [
                new FileObservation("/data/old", FileAccessKind.Delete | FileAccessKind.Read, Ptrace),
                new FileObservation("/data/new", FileAccessKind.Create, Ptrace),
                new FileObservation("/data/hard", FileAccessKind.Create | FileAccessKind.Link, Ptrace),
                new FileObservation("/data/lockfile", FileAccessKind.Read | FileAccessKind.Lock, Ptrace),
                new FileObservation("/data/f[1.txt", FileAccessKind.Read, Ptrace),
                new FileObservation("/bin/sh", FileAccessKind.Execute, Ptrace),
            ],
        };
        var text = AppArmorRenderer.Render(AppArmorGenerator.FromRecording(r, "portcullis-edge"));
        Assert.Contains("  /data/old rw,\n", text, StringComparison.Ordinal);
        Assert.Contains("  /data/hard wl,\n", text, StringComparison.Ordinal);
        Assert.Contains("  /data/lockfile rk,\n", text, StringComparison.Ordinal);
        Assert.Contains("  /data/f\\[1.txt r,\n", text, StringComparison.Ordinal);
        Assert.Matches(@"  /usr/bin/dash mrix,\n|  /bin/sh mrix,\n|  /usr/bin/sh mrix,\n", text);
        // The kernel maps the ELF interpreter at execve; no syscall of the program names it.
        Assert.Matches(@"  /usr/lib/x86_64-linux-gnu/ld-linux-x86-64\.so\.2 mr,\n", text);
        Assert.Empty(new AppArmorParserProcess().Check(text, default));
    }

    [Fact]
    public void The_container_profile_takes_ip_families_from_analysis_and_writable_volumes_from_the_user()
    {
        var p = ContainerAppArmor.Generate([new Recording()], "portcullis-app", "/app", ["inet", "inet6"], ["/data/", "/var/lib/app"]);
        var text = AppArmorRenderer.Render(p);
        Assert.Contains("  network inet,\n", text, StringComparison.Ordinal);
        Assert.Contains("  network inet6,\n", text, StringComparison.Ordinal);
        Assert.Contains("  network unix,\n", text, StringComparison.Ordinal);
        Assert.Contains("  /data/** rwlk,\n", text, StringComparison.Ordinal);
        Assert.Contains("  /var/lib/app/** rwlk,\n", text, StringComparison.Ordinal);
        Assert.Contains("  /app/** mr,\n", text, StringComparison.Ordinal);
        Assert.Contains("signal (receive) peer=unconfined", text, StringComparison.Ordinal);
        Assert.Empty(new AppArmorParserProcess().Check(text, default));
    }
}
