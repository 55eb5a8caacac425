using Microsoft.Extensions.Time.Testing;
using Portcullis.Profiles.AppArmor;
using Portcullis.Profiles.Diagnostics;

namespace Portcullis.Profiles.Tests.AppArmor;

/// <summary>
/// The one apparmor_parser wrapper holds its time limit and its output cap against a parser that never ends or
/// never stops talking. The clock is a FakeTimeProvider the test moves; nothing waits on the wall clock.
/// </summary>
public sealed class AppArmorParserProcessTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_real_parser_stuck_on_an_include_that_never_ends_is_killed_at_the_time_limit()
    {
        var parser = Requires.Tool("apparmor_parser", "apparmor");
        var dir = Directory.CreateTempSubdirectory("portcullis-fifo-").FullName;
        try
        {
            var fifo = Path.Combine(dir, "never");
            Assert.Equal(0, Requires.Run("mkfifo", fifo).ExitCode);
            var time = new FakeTimeProvider();
            var process = new AppArmorParserProcess([parser], TimeSpan.FromSeconds(30), time);
            // Opening a FIFO nobody writes blocks forever: what a hostile include of a device or pipe does to a bare parser.
            var run = process.RunAsync(["-Q", "-K"], $"profile p {{\n  include \"{fifo}\"\n}}\n", Cancel);
            Assert.False(run.IsCompleted);
            time.Advance(TimeSpan.FromSeconds(31));
            var result = await run;
            Assert.True(result.TimedOut);
            Assert.False(result.Succeeded);
            Assert.Equal("apparmor_parser: did not finish within 30 s and was killed", result.Describe());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_parser_that_floods_its_output_is_read_to_the_end_but_only_its_first_bytes_are_kept()
    {
        var process = new AppArmorParserProcess(["sh", "-c", "head -c 20000000 /dev/zero | tr '\\0' x >&2; exit 3", "parser"]);
        var result = await process.RunAsync(["-r", "/nowhere"], null, Cancel);
        Assert.Equal(3, result.ExitCode);
        Assert.Equal(20_000_000, result.Seen);
        Assert.Equal(AppArmorParserProcess.OutputLimit, result.Output.Length);
        Assert.EndsWith("… (20000000 bytes in all)", result.Describe(), StringComparison.Ordinal);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => process.LoadAsync("/nowhere", Cancel));
        Assert.True(e.Message.Length < 2 * AppArmorParserProcess.OutputLimit, $"{e.Message.Length} characters");
    }

    [Fact]
    public void Compiling_reports_the_parser_s_refusal_as_one_diagnostic()
    {
        Requires.Tool("apparmor_parser", "apparmor");
        var found = Assert.Single(new AppArmorParserProcess().Check("profile p {\n  /etc/passwd r\n}\n", new Origin("p", 1, 1)));
        Assert.Equal(DiagnosticId.AppArmorParserRejected, found.Id);
        Assert.StartsWith("apparmor_parser: AppArmor parser error", found.Message, StringComparison.Ordinal);
        Assert.Empty(new AppArmorParserProcess().Check("profile p {\n  /etc/passwd r,\n}\n", default));
    }
}
