using Portcullis.Profiles.AppArmor;
using Portcullis.Profiles.Diagnostics;
using Portcullis.Profiles.Generation;
using Portcullis.Profiles.Recordings;

namespace Portcullis.Profiles.Tests.AppArmor;

/// <summary>What the cluster accepts from an image must still be everything Portcullis itself generates, and load.</summary>
public sealed class UntrustedAppArmorTests
{
    [Fact]
    public void The_container_profile_portcullis_generates_is_accepted_and_renders_to_policy_apparmor_parser_accepts()
    {
        var generated = ContainerAppArmor.Generate([new Recording()], "portcullis-todoapi", "/app", ["inet", "inet6"], ["/data"]);
        var profile = UntrustedAppArmor.Read(AppArmorRenderer.Render(generated), "image.profile");
        Assert.Equal(Assert.Single(AppArmorParser.Parse(AppArmorRenderer.Render(generated), "generated.profile")).Rules, profile.Rules);
        var text = UntrustedAppArmor.Render(profile, "portcullis-sha256-0a1b");
        Assert.StartsWith("include <tunables/global>\n\nprofile portcullis-sha256-0a1b flags=(attach_disconnected, mediate_deleted) {", text, StringComparison.Ordinal);
        AppArmorParserCheck.AssertAccepted(text);
        // What a node re-reads is what the controller rendered.
        Assert.Equal(text, UntrustedAppArmor.Render(UntrustedAppArmor.Read(text, "node.profile"), "portcullis-sha256-0a1b"));
    }

    [Fact]
    public void A_recorded_profile_in_complain_mode_is_refused_and_in_enforce_mode_accepted()
    {
        var recording = new Recording();
        var complain = AppArmorRenderer.Render(AppArmorGenerator.FromRecording(recording, "p", complain: true));
        Assert.Equal(DiagnosticId.AppArmorFlagNotAllowed, Assert.Throws<ProfileException>(() => UntrustedAppArmor.Read(complain, "p")).Diagnostic.Id);
        UntrustedAppArmor.Read(AppArmorRenderer.Render(AppArmorGenerator.FromRecording(recording, "p")), "p");
    }

    [Theory]
    [InlineData("profile p {\n  \"/a\\\"b\" r,\n}\n", DiagnosticId.AppArmorInvalidPath)]
    [InlineData("profile p {\n  signal (send) peer=\"a b\",\n}\n", DiagnosticId.AppArmorRuleNotAllowed)]
    [InlineData("profile p {\n  capability sys_admn,\n}\n", DiagnosticId.AppArmorUnknownCapability)]
    [InlineData("include <tunables/../../shadow>\nprofile p {\n}\n", DiagnosticId.AppArmorIncludeNotAllowed)]
    [InlineData("profile p {\n  include <tunables/global>\n}\n", DiagnosticId.AppArmorIncludeNotAllowed)]
    public void Odd_text_is_refused_rather_than_passed_on(string text, DiagnosticId id) =>
        Assert.Equal(id, Assert.Throws<ProfileException>(() => UntrustedAppArmor.Read(text, "p")).Diagnostic.Id);

    [Fact]
    public void A_profile_without_tunables_gets_the_global_ones_so_that_its_variables_come_from_the_node()
    {
        var profile = UntrustedAppArmor.Read("profile p {\n  /proc/@{pid}/stat r,\n}\n", "p");
        Assert.Equal(["include <tunables/global>"], profile.Preamble);
        AppArmorParserCheck.AssertAccepted(UntrustedAppArmor.Render(profile, "q"));
    }
}
