using Portcullis.Profiles.Diagnostics;
using Portcullis.Recorder.Ptrace;
using static Portcullis.Recorder.Tests.Targets;

namespace Portcullis.Recorder.Tests;

/// <summary>The recorder sees the command as the command sees itself, and says what it could not see.</summary>
[Collection(RecorderCollection.Name)]
public sealed class TraceeViewTests
{
    [Theory]
    [InlineData("/proc/self/status", "/proc/42/status")]
    [InlineData("/proc/self", "/proc/42")]
    [InlineData("/proc/thread-self/comm", "/proc/42/task/42/comm")]
    [InlineData("/dev/fd/3", "/proc/42/fd/3")]
    [InlineData("/dev/stdin", "/proc/42/fd/0")]
    [InlineData("/dev/stderr", "/proc/42/fd/2")]
    [InlineData("/proc/selfish", "/proc/selfish")]
    [InlineData("/etc/hosts", "/etc/hosts")]
    public void Self_names_mean_the_tracee(string path, string expected) =>
        Assert.Equal(expected, SyscallDecoder.AsTracee(path, 42));

    [Fact]
    public async Task Proc_self_and_dev_fd_are_resolved_as_the_traced_process_sees_them()
    {
        var marker = Path.Combine(Path.GetTempPath(), "portcullis-fd-" + Guid.NewGuid().ToString("N")[..8]);
        File.WriteAllText(marker, "x");
        try
        {
            // fd 7 is the marker file in the shell; /dev/fd/7 and /proc/self/fd/7 must name it, not whatever the recorder has there.
            var r = await Record(BackendChoice.Ptrace, "/bin/sh", "-c", $"exec 7<{marker}; cat /dev/fd/7 /proc/self/fd/7 /proc/self/status > /dev/null");
            Assert.Equal(0, r.ExitCode);
            var paths = r.Recording.Files.Select(f => f.Path).ToList();
            Assert.DoesNotContain(paths, p => p.StartsWith($"/proc/{Environment.ProcessId}/", StringComparison.Ordinal));
            Assert.Contains(marker, paths);
            Assert.Contains(paths, p => System.Text.RegularExpressions.Regex.IsMatch(p, @"^/proc/\d+/status$"));
        }
        finally
        {
            File.Delete(marker);
        }
    }

    [Fact]
    public async Task A_relative_path_opened_with_a_32_bit_AT_FDCWD_is_resolved_against_the_working_directory()
    {
        // dash passes AT_FDCWD in a 32-bit register: the 64-bit argument reads 0xffffff9c, not -100.
        var dir = Directory.CreateTempSubdirectory("portcullis-cwd-").FullName;
        try
        {
            var r = await Record(BackendChoice.Ptrace, "/bin/dash", "-c", $"cd {dir} && echo x > made-here");
            Assert.Equal(0, r.ExitCode);
            var made = Assert.Single(r.Recording.Files, f => f.Path == Path.Combine(dir, "made-here"));
            Assert.True(made.Access.HasFlag(Profiles.Recordings.FileAccessKind.Create));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData(BackendChoice.Ptrace)]
    [InlineData(BackendChoice.Ebpf)]
    public async Task A_command_that_leaves_processes_running_is_warned_about(BackendChoice backend)
    {
        var r = await Record(backend, "/bin/sh", "-c", "sleep 30 & exit 0");
        Assert.Equal(0, r.ExitCode);
        var warning = Assert.Single(r.Warnings, w => w.Id == DiagnosticId.ProcessesLeftRunning);
        Assert.Contains("1 process", warning.Message, StringComparison.Ordinal);

        var clean = await Record(backend, "/bin/sh", "-c", "sleep 0.1; exit 0");
        Assert.DoesNotContain(clean.Warnings, w => w.Id == DiagnosticId.ProcessesLeftRunning);
    }

    [Fact]
    public async Task With_CAP_SYS_ADMIN_the_ptrace_recording_does_not_set_no_new_privs()
    {
        Requires.Root();
        var output = Path.Combine(Path.GetTempPath(), "portcullis-nnp-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var r = await Record(BackendChoice.Ptrace, "/bin/sh", "-c", $"grep NoNewPrivs /proc/self/status > {output}");
            Assert.Equal(0, r.ExitCode);
            Assert.Equal("NoNewPrivs:\t0", File.ReadAllText(output).Trim());
        }
        finally
        {
            File.Delete(output);
        }
    }
}
