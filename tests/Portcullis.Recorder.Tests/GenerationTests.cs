using Portcullis.Profiles.AppArmor;
using Portcullis.Profiles.Diagnostics;
using Portcullis.Profiles.Seccomp;
using Portcullis.Recorder.Generation;
using Portcullis.Recorder.Observations;

namespace Portcullis.Recorder.Tests;

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

    [Fact]
    public void The_seccomp_profile_allows_what_was_recorded_plus_the_runtime_base()
    {
        var bag = new DiagnosticBag();
        var p = SeccompGenerator.FromRecording(Sample, bag);
        Assert.Equal((SeccompAction.Errno, 1u), (p.DefaultAction, p.DefaultErrnoRet));
        Assert.Equal([SeccompArch.X86_64], p.Architectures);
        var recorded = p.Syscalls.Single(r => r.Comment == SeccompGenerator.RecordedComment);
        Assert.Equal(["read", "uname"], recorded.Names);
        var runtime = p.Syscalls.Single(r => r.Comment == SeccompGenerator.BaseComment);
        Assert.Contains("execve", runtime.Names);
        Assert.DoesNotContain("read", runtime.Names);
        Assert.Contains("999", Assert.Single(bag.Items).Message, StringComparison.Ordinal);
        Assert.DoesNotContain(SeccompValidator.Validate(p), d => d.Severity == Severity.Error);
    }

    [Fact]
    public void The_apparmor_profile_holds_only_what_was_recorded_and_apparmor_parser_accepts_it()
    {
        var p = AppArmorGenerator.FromRecording(Sample, "portcullis-sample");
        var text = AppArmorRenderer.Render(p);
        Assert.Contains("  /etc/hosts r,\n", text, StringComparison.Ordinal);
        Assert.Contains("  /usr/bin/id rix,\n", text, StringComparison.Ordinal);
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
}
