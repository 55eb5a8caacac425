using Portcullis.Profiles.Diagnostics;
using Portcullis.Profiles.Seccomp;
using Portcullis.Profiles.Recordings;

namespace Portcullis.Recorder.Tests;

public sealed class RecordingJsonTests
{
    private static readonly Recording Sample = new()
    {
        Command = ["/bin/sh", "-c", "true"],
        ExitCode = 3,
        Syscalls =
        [
            new SyscallObservation(SeccompArch.X86_64, 0, "read", 10, new HashSet<Backend> { Backend.Ptrace, Backend.Ebpf }),
            new SyscallObservation(SeccompArch.X86, 20, "getpid", 1, new HashSet<Backend> { Backend.Ebpf }),
            new SyscallObservation(SeccompArch.X86_64, 4000, null, 2, new HashSet<Backend> { Backend.Ebpf }),
        ],
        Files = [new FileObservation("/etc/hosts", FileAccessKind.Read | FileAccessKind.Stat, new HashSet<Backend> { Backend.Ptrace })],
        Executables = ["/usr/bin/sh"],
        Sockets = [new SocketObservation(2, 1, 6, 8080, null, new HashSet<Backend> { Backend.Ptrace })],
        Capabilities = ["CAP_CHOWN"],
    };

    private static Recording RoundTrip(Recording r)
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(file, RecordingJson.Write(r));
            return RecordingJson.Read(file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Round_trips_and_keeps_numbers_without_names()
    {
        var again = RoundTrip(Sample);
        Assert.Equal(RecordingJson.Write(Sample), RecordingJson.Write(again));
        Assert.Contains(again.Syscalls, s => s.Number == 4000 && s.Name is null && s.Count == 2);
        Assert.Equal(3, again.ExitCode);
    }

    [Fact]
    public void Recordings_merge_by_union_with_counts_added()
    {
        var merged = Recording.Merge([Sample, Sample with { Files = [new FileObservation("/etc/hosts", FileAccessKind.Write, new HashSet<Backend> { Backend.Ebpf })] }]);
        Assert.Equal(20, merged.Syscalls.Single(s => s.Name == "read").Count);
        var hosts = Assert.Single(merged.Files);
        Assert.Equal(FileAccessKind.Read | FileAccessKind.Stat | FileAccessKind.Write, hosts.Access);
        Assert.Equal([Backend.Ptrace, Backend.Ebpf], hosts.SeenBy.Order());
    }

    [Fact]
    public void A_bad_recording_is_a_coded_error_with_a_place()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "{\"version\": 1, \"syscalls\": [{\"architecture\": \"SCMP_ARCH_X86_64\", \"number\": 0, \"count\": -1}]}");
            var e = Assert.Throws<ProfileException>(() => RecordingJson.Read(file));
            Assert.Equal(("syscalls[0].count", DiagnosticId.NumberOutOfRange), (e.Diagnostic.Field, e.Diagnostic.Id));
            File.WriteAllText(file, "{\"version\": 2}");
            Assert.Equal(DiagnosticId.UnknownValue, Assert.Throws<ProfileException>(() => RecordingJson.Read(file)).Diagnostic.Id);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
