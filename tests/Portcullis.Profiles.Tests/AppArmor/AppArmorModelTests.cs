using Portcullis.Profiles.AppArmor;
using Portcullis.Profiles.Diagnostics;
using Portcullis.Profiles.Loading;
using Portcullis.Profiles.Spo;
using Portcullis.Profiles.Tests.Support;

namespace Portcullis.Profiles.Tests.AppArmor;

public sealed class AppArmorModelTests
{
    private static readonly AppArmorProfile Everything = new()
    {
        Name = "portcullis-sample",
        Attachment = "/usr/bin/dotnet",
        Flags = ["complain", "attach_disconnected", "mediate_deleted"],
        Rules =
        [
            new IncludeRule("abstractions/base"),
            new FileRule("/app/**", FilePermissions.Parse("r")),
            new FileRule("/app/TodoApi", FilePermissions.Parse("mrix")),
            new FileRule("/usr/bin/gzip", FilePermissions.Parse("Px")),
            new FileRule("/usr/bin/env", FilePermissions.Parse("rix")),
            new FileRule("/usr/lib/x86_64-linux-gnu/*.so*", FilePermissions.Parse("mr")),
            new FileRule("/data/{todos,config}/**", FilePermissions.Parse("rwlk")),
            new FileRule("/var/log/app.log", FilePermissions.Parse("a")),
            new FileRule("/tmp/**", FilePermissions.Parse("rw")) { Owner = true },
            new FileRule("/proc/@{pid}/status", FilePermissions.Parse("r")),
            new FileRule("/path with space/x", FilePermissions.Parse("r")),
            new FileRule("/etc/shadow", FilePermissions.Parse("rw")) { Deny = true },
            new FileRule("/usr/bin/sudo", FilePermissions.Parse("x")) { Deny = true, Audit = true },
            new NetworkRule("inet", "stream"),
            new NetworkRule("inet6", "dgram"),
            new NetworkRule("unix", null),
            new NetworkRule(null, "raw") { Deny = true },
            new CapabilityRule(["net_bind_service", "chown"]),
            new CapabilityRule(["sys_admin"]) { Deny = true },
            new SignalRule(["send"], ["term", "kill"], "portcullis-sample"),
            new SignalRule(["receive"], [], null),
            new PtraceRule(["read"], "portcullis-sample"),
            new UnixRule(["create", "connect"], "stream", null, null),
            new UnixRule(["bind", "listen"], "stream", "@portcullis", null),
            new RawRule("mount options=(ro, bind) /data/ -> /mnt/"),
        ],
    };

    [Fact]
    public void Renders_every_rule_kind_so_that_apparmor_parser_accepts_it()
    {
        var text = AppArmorRenderer.Render(Everything);
        Assert.Contains("profile portcullis-sample /usr/bin/dotnet flags=(complain, attach_disconnected, mediate_deleted) {", text, StringComparison.Ordinal);
        Assert.Contains("  owner /tmp/** rw,", text, StringComparison.Ordinal);
        Assert.Contains("  \"/path with space/x\" r,", text, StringComparison.Ordinal);
        Assert.Contains("  audit deny /usr/bin/sudo x,", text, StringComparison.Ordinal);
        Assert.Contains("  signal send set=(term, kill) peer=portcullis-sample,", text, StringComparison.Ordinal);
        Assert.Contains("  include <abstractions/base>\n", text, StringComparison.Ordinal);
        Assert.Empty(AppArmorValidator.Validate(Everything));
        AppArmorParserCheck.AssertAccepted(text);
    }

    [Fact]
    public void Parses_what_it_renders_back_to_the_same_model()
    {
        var text = AppArmorRenderer.Render(Everything);
        var parsed = Assert.Single(AppArmorParser.Parse(text, "p.profile"));
        Assert.Equal(Everything, parsed);
        Assert.Equal(text, AppArmorRenderer.Render(parsed));
    }

    [Fact]
    public void Apparmor_parser_rejects_what_the_validator_rejects()
    {
        var bad = Everything with { Rules = [new CapabilityRule(["net_bind_servce"])] };
        Assert.Equal(DiagnosticId.AppArmorUnknownCapability, Assert.Single(AppArmorValidator.Validate(bad)).Id);
        Assert.NotEqual(0, AppArmorParserCheck.Run(AppArmorRenderer.Render(bad)).ExitCode);
    }

    [Theory]
    [InlineData("profile x {\n  /etc/passwd rz,\n}\n", DiagnosticId.AppArmorInvalidPermission, 2)]
    [InlineData("profile x {\n  /etc/passwd r\n}\n", DiagnosticId.MalformedAppArmor, 3)]
    [InlineData("profile x {\n  /etc/{a,b r,\n}\n", DiagnosticId.MalformedAppArmor, 2)]
    [InlineData("profile x {\n  /etc/passwd r,\n", DiagnosticId.MalformedAppArmor, 3)]
    [InlineData("profile x {\n  /etc/passwd rix px,\n}\n", DiagnosticId.MalformedAppArmor, 2)]
    [InlineData("profile x {\n  /a rwa,\n}\n", DiagnosticId.AppArmorInvalidPermission, 2)]
    public void Syntax_errors_name_the_line(string text, DiagnosticId id, int line)
    {
        var e = Assert.Throws<ProfileException>(() => AppArmorParser.Parse(text, "bad.profile"));
        Assert.Equal((id, line), (e.Diagnostic.Id, e.Diagnostic.Origin.Line));
    }

    [Fact]
    public void Reads_real_world_syntax_keeping_unmodelled_rules_verbatim()
    {
        const string text = """
            # a comment
            abi <abi/3.0>,
            #include <tunables/global>
            @{APP}=/app

            /usr/bin/foo flags=(attach_disconnected) {
              #include <abstractions/base>
              include if exists <local/foo>
              file /etc/hosts r,
              r /etc/resolv.conf,
              @{APP}/** mr,
              dbus send bus=session,
              ^hat {
                /tmp/x rw,
              }
              change_profile -> other,
            }
            """;
        var p = Assert.Single(AppArmorParser.Parse(text, "real.profile"));
        Assert.Equal("/usr/bin/foo", p.Name);
        Assert.Equal("abi/3.0", p.Abi);
        Assert.Equal(["include <tunables/global>", "@{APP}=/app"], p.Preamble);
        Assert.Equal(3, p.Rules.OfType<RawRule>().Count());
        Assert.Equal(3, p.Rules.OfType<FileRule>().Count());
        Assert.True(Assert.IsType<IncludeRule>(p.Rules[1]).IfExists);
        AppArmorParserCheck.AssertAccepted(AppArmorRenderer.Render(p).Replace("include if exists <local/foo>", "", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("spo/apparmorprofile.yaml")]
    [InlineData("spo/apparmorprofile-sleep-crun.yaml")]
    public void Spo_abstract_profiles_render_to_policy_apparmor_parser_accepts(string file)
    {
        var doc = Assert.Single(Load.File(Repo.Data(file)).OfType<AppArmorDocument>());
        AppArmorParserCheck.AssertAccepted(AppArmorRenderer.Render(doc.Profile));
    }

    [Fact]
    public void The_recorded_spo_profile_converts_both_ways_without_loss()
    {
        var doc = Assert.Single(Load.File(Repo.Data("spo/apparmorprofile-sleep-crun.yaml")).OfType<AppArmorDocument>());
        Assert.Equal(6, Assert.Single(doc.Profile.Rules.OfType<CapabilityRule>()).Capabilities.Count);
        Assert.Equal(1 + 1 + 17 + 9 + 4, doc.Profile.Rules.OfType<FileRule>().Count());

        var bag = new DiagnosticBag();
        var parsed = Assert.Single(AppArmorParser.Parse(AppArmorRenderer.Render(doc.Profile), "x.profile"));
        var back = AbstractConverter.ToAbstract(parsed, bag);
        Assert.Empty(bag.Items);
        Assert.Equal(doc.Spo!.Abstract with { AllowRaw = null, AllowTcp = null, AllowUdp = null }, back.Abstract);
    }

    [Fact]
    public void Converting_to_the_abstract_form_reports_what_it_cannot_hold()
    {
        var bag = new DiagnosticBag();
        var cr = AbstractConverter.ToAbstract(Everything, bag);
        Assert.True(cr.Complain);
        Assert.Equal(["/app/**"], cr.Abstract.ReadOnlyPaths!.Take(1));
        Assert.True(cr.Abstract.AllowTcp);
        Assert.Contains(bag.Items, d => d.Message.Contains("'deny /etc/shadow rw,'", StringComparison.Ordinal));
        Assert.Contains(bag.Items, d => d.Message.Contains("signal", StringComparison.Ordinal));
        Assert.All(bag.Items, d => Assert.Equal(DiagnosticId.LossyConversion, d.Id));
    }
}
