namespace Portcullis.KernelLab.Tests;

/// <summary>A hostile include never reaches the node's parser, and the parser wrapper's time limit holds when one is fed to it directly.</summary>
[Collection(KernelLabCollection.Name)]
public sealed class HostileAppArmorTests(HostileAppArmorBoot lab) : IClassFixture<HostileAppArmorBoot>
{
    [Fact]
    public void An_include_of_dev_zero_is_refused_by_the_controller_and_the_wrapped_parser_fed_it_directly_returns()
    {
        Assert.NotNull(lab.ControllerVerdict);
        Assert.StartsWith("PCL3009:", lab.ControllerVerdict, StringComparison.Ordinal);
        Assert.Contains("(sha256-hostile:3:", lab.ControllerVerdict, StringComparison.Ordinal);
        Assert.Equal(Portcullis.Profiles.Diagnostics.DiagnosticId.AppArmorIncludeNotAllowed, lab.RenameRefusal?.Id);
        var part = lab.Part("zero");
        Assert.Contains("ENABLED=Y", part, StringComparison.Ordinal);
        // Whatever the parser makes of the device, the wrapper came back with a verdict.
        Assert.Matches("VALIDATE=[01]", part);
        TestContext.Current.SendDiagnosticMessage($"VM boot and script: {lab.Boot.Elapsed.TotalSeconds:0.0} s\n{part}");
    }

    [Fact]
    public void A_parser_blocked_on_an_include_that_never_ends_is_killed_at_the_wrapper_s_time_limit()
    {
        var part = lab.Part("fifo");
        Assert.True(part.Contains("PCL3006: apparmor_parser: did not finish within 30 s and was killed", StringComparison.Ordinal), part);
        Assert.Contains("VALIDATE=1", part, StringComparison.Ordinal);
        Assert.Contains("LEFT=0", part, StringComparison.Ordinal);
    }
}
