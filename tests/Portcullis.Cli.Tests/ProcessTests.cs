namespace Portcullis.Cli.Tests;

/// <summary>The built tool as a user runs it: a separate process, its exit code and its stderr.</summary>
public sealed class ProcessTests
{
    private static readonly string Tool = Path.Combine(AppContext.BaseDirectory, "portcullis.dll");

    [Theory]
    [InlineData("{\"defaultAction\": [")]
    [InlineData("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 99999999999, \"op\": \"SCMP_CMP_EQ\"}]}]}")]
    [InlineData("profile x {\n /etc/{a,b r,\n}")]
    public void Bad_input_never_prints_a_stack_trace(string content)
    {
        var file = Path.Combine(Path.GetTempPath(), $"portcullis-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, content);
        try
        {
            var (code, output) = Requires.Run("dotnet", Tool, "convert", file, "--to", "spo");
            Assert.Equal(1, code);
            var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Matches(@"^PCL\d{4}: ", line);
            Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Without_bpf_capabilities_auto_records_with_ptrace_and_says_why()
    {
        var setpriv = Requires.Tool("setpriv", "util-linux");
        var output = Path.Combine(Path.GetTempPath(), $"portcullis-{Guid.NewGuid():N}.json");
        try
        {
            var (code, text) = Requires.Run(setpriv, "--bounding-set=-bpf,-perfmon,-sys_admin", "--inh-caps=-bpf,-perfmon,-sys_admin",
                "dotnet", Tool, "record", "-o", output, "--", "/bin/sh", "-c", "exit 5");
            Assert.Equal(5, code);
            Assert.Matches(@"info PCL5003: recording with ptrace: creating a BPF [a-z ]+ failed: Operation not permitted", text);
            Assert.Contains("\"seenBy\": [\n        \"ptrace\"", File.ReadAllText(output), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Fact]
    public void Stdin_is_read_with_a_dash()
    {
        var (code, output) = Requires.RunWithInput(File.ReadAllText(Repo.Data("spo/baseprofile-crun.yaml")), "dotnet", Tool, "stats", "-");
        Assert.Equal(0, code);
        Assert.Contains("SCMP_ARCH_X86_64", output, StringComparison.Ordinal);
    }
}
