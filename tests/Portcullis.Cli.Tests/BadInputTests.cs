namespace Portcullis.Cli.Tests;

public sealed class BadInputTests
{
    [Theory]
    [InlineData("{\"defaultAction\": ", "PCL1004")]
    [InlineData("", "PCL1003")]
    [InlineData("   \n", "PCL1003")]
    [InlineData("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": 5}", "PCL1006")]
    [InlineData("[1, 2]", "PCL1006")]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n", "PCL1011")]
    [InlineData("a: [1, 2\nb: 3\n", "PCL1005")]
    [InlineData("profile x {\n  /etc/passwd r\n}\n", "PCL1018")]
    public void Bad_input_is_one_coded_line_and_no_output_file(string content, string code)
    {
        using var dir = new TempDir();
        var input = dir.File("in.txt", content);
        var output = dir.File("out.json");
        var run = CliRun.Of("convert", input, "--to", "oci", "-o", output);
        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.ErrLines);
        Assert.StartsWith(code + ":", line, StringComparison.Ordinal);
        Assert.Contains(input, line, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void A_failed_run_leaves_an_existing_output_untouched()
    {
        using var dir = new TempDir();
        var output = dir.File("out.json", "previous");
        var run = CliRun.Of("convert", dir.File("bad.json", "{"), "--to", "oci", "-o", output);
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("previous", File.ReadAllText(output));
    }

    [Fact]
    public void Files_over_16_MiB_are_refused_before_reading()
    {
        using var dir = new TempDir();
        var big = dir.File("big.json");
        using (var f = File.Create(big))
            f.SetLength(16L * 1024 * 1024 + 1);
        var run = CliRun.Of("validate", big);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("PCL1002", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_files_and_non_utf8_are_named()
    {
        using var dir = new TempDir();
        Assert.Contains("PCL1001: file not found", CliRun.Of("validate", dir.File("nope.json")).Out, StringComparison.Ordinal);
        var latin1 = dir.File("l.json");
        File.WriteAllBytes(latin1, [(byte)'{', 0xE9, (byte)'}']);
        Assert.Contains("PCL1020", CliRun.Of("validate", latin1).Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("validate")]
    [InlineData("frobnicate")]
    [InlineData("convert x.json")]
    [InlineData("convert x.json --to docker")]
    [InlineData("diff a.json")]
    [InlineData("validate a.json --no-such-option")]
    public void Usage_errors_exit_2_with_coded_lines(string commandLine)
    {
        var run = CliRun.Of(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("PCL9002: ", run.ErrLines[0], StringComparison.Ordinal);
        Assert.Contains("--help", run.ErrLines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_architecture_is_a_usage_error() =>
        Assert.Equal(2, CliRun.Of("diff", Repo.Data("seccomp/docker-default.json"), Repo.Data("seccomp/docker-default.json"), "--arch", "vax").ExitCode);

    [Theory]
    [InlineData("validate")]
    [InlineData("merge")]
    [InlineData("diff")]
    [InlineData("convert")]
    [InlineData("stats")]
    public void Every_command_has_help_with_an_example(string command)
    {
        var run = CliRun.Of(command, "--help");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Example:", run.Out, StringComparison.Ordinal);
        Assert.Contains("portcullis " + command, run.Out, StringComparison.Ordinal);
    }
}
