namespace Portcullis.KernelLab.Tests;

/// <summary>TodoApi in a container confined by the AppArmor profile Portcullis.Build generated for it, on the lab's AppArmor kernel.</summary>
[Collection(KernelLabCollection.Name)]
public sealed class SampleAppArmorTests(SampleAppBoot lab) : IClassFixture<SampleAppBoot>
{
    [Fact]
    public void TodoApi_serves_under_its_generated_apparmor_profile_and_nothing_is_denied()
    {
        var part = lab.Part("confined");
        Assert.True(part.Contains("HEALTH=200", StringComparison.Ordinal), part + "\n" + lab.Profile);
        Assert.Contains("\"title\":\"confined\"", part, StringComparison.Ordinal);
        Assert.Contains("beats", part, StringComparison.Ordinal);
        Assert.DoesNotContain("DENIED", part, StringComparison.Ordinal);
        TestContext.Current.SendDiagnosticMessage($"VM boot with two container runs: {lab.Boot.Elapsed.TotalSeconds:0.0} s");
    }

    [Fact]
    public void Without_its_ip_network_rules_the_kernel_stops_it_from_listening()
    {
        var part = lab.Part("noip");
        Assert.DoesNotContain("HEALTH=200", part, StringComparison.Ordinal);
        Assert.Matches("apparmor=\"DENIED\" operation=\"create\" profile=\"portcullis-todoapi-noip\".*family=\"inet6?\"", part);
    }
}
