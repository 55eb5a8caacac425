using System.Text.RegularExpressions;
using Portcullis.Recorder.Ebpf;
using static Portcullis.Recorder.Tests.Targets;

namespace Portcullis.Recorder.Tests;

[Collection(RecorderCollection.Name)]
public sealed partial class BtfAndLsmTests
{
    [Theory]
    [InlineData("bpf_lsm_capable")]
    [InlineData("bpf_lsm_file_open")]
    [InlineData("bpf_lsm_bprm_check_security")]
    public void The_btf_reader_finds_the_same_ids_as_bpftool(string function)
    {
        var bpftool = Requires.Tool("bpftool", "bpftool");
        var (code, dump) = Requires.Run(bpftool, "btf", "dump", "file", "/sys/kernel/btf/vmlinux");
        Assert.Equal(0, code);
        var expected = int.Parse(Regex.Match(dump, $@"^\[(\d+)\] FUNC '{function}'", RegexOptions.Multiline).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(expected, BtfReader.Kernel().FuncId(function));
    }

    [Fact]
    public void A_file_that_is_not_btf_is_refused() =>
        Assert.Throws<RecorderException>(() => BtfReader.FromBytes(new byte[64]));

    /// <summary>
    /// Capabilities come from a BPF LSM program. Where the kernel lets LSM programs load, a `nice -n -3`
    /// must show CAP_SYS_NICE; where it does not (this workplace's kernel refuses BPF trampolines: bpftool
    /// reports "program_type lsm is NOT available"), the recording must say so instead of staying silent.
    /// </summary>
    [Fact]
    public async Task Capabilities_are_recorded_or_their_absence_is_stated()
    {
        var r = await Record(BackendChoice.Ebpf, "/bin/sh", "-c", "nice -n -3 /bin/true");
        Assert.Equal(0, r.ExitCode);
        if (r.Notes.Count == 0)
            Assert.Contains("CAP_SYS_NICE", r.Recording.Capabilities);
        else
            Assert.Contains("capabilities are not recorded: the BPF LSM is not usable here", Assert.Single(r.Notes), StringComparison.Ordinal);
    }
}
