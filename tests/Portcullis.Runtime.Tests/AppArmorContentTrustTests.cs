using System.Text;
using k8s.Models;
using Portcullis.Runtime.Controller;
using Portcullis.Runtime.NodeAgent;
using Portcullis.Runtime.Resources;

namespace Portcullis.Runtime.Tests;

/// <summary>
/// An image's AppArmor artifact plays the attacker (finding 4 of the runtime review): whatever it holds beyond
/// what the model renders must be refused by the controller with a PCL code and the line, before any node sees it.
/// </summary>
public sealed class AppArmorContentTrustTests
{
    private const string Name = "sha256-0a1b";

    private const string Benign = """
        include <tunables/global>
        profile portcullis-app flags=(attach_disconnected, mediate_deleted) {
          include <abstractions/base>
          /app/** mr,
          /usr/bin/* mrix,
          /proc/@{pid}/task/@{tid}/comm rw,
          network inet,
          network unix,
          capability chown,
          signal (send, receive) peer=@{profile_name},
          signal (receive) peer=unconfined,
          deny /usr/bin/sudo x,
        }
        """;

    // Each is the benign profile with one hostile change, and the line the refusal must name.
    public static TheoryData<string, string, int> Hostile => new()
    {
        { "include \"/etc/shadow\"\nprofile portcullis-app {\n  /app/** mr,\n}\n", "PCL3009", 1 },
        { "profile portcullis-app {\n  include \"/dev/zero\"\n}\n", "PCL3009", 2 },
        { "profile portcullis-app {\n  include <abstractions/../../../etc/shadow>\n}\n", "PCL3009", 2 },
        { "profile portcullis-app {\n  include if exists <local/portcullis-app>\n}\n", "PCL3009", 2 },
        { "profile portcullis-app /usr/** {\n  /app/** mr,\n}\n", "PCL3007", 1 },
        { "profile portcullis-app flags=(complain) {\n  /app/** mr,\n}\n", "PCL3008", 1 },
        { "profile portcullis-app flags=(unconfined) {\n}\n", "PCL3008", 1 },
        { "profile portcullis-app flags=(attach_disconnected, kill) {\n}\n", "PCL3008", 1 },
        { "profile portcullis-app {\n  /app/** mr,\n  ^hat {\n    /** rwix,\n  }\n}\n", "PCL3010", 3 },
        { "profile portcullis-app {\n  profile child {\n    /** rw,\n  }\n}\n", "PCL3010", 2 },
        { "profile portcullis-app {\n  change_profile -> **,\n}\n", "PCL3010", 2 },
        { "profile portcullis-app {\n  change_hat,\n}\n", "PCL3010", 2 },
        { "profile portcullis-app {\n  pivot_root,\n}\n", "PCL3010", 2 },
        { "profile portcullis-app {\n  mount,\n}\n", "PCL3010", 2 },
        { "profile portcullis-app {\n  /usr/bin/** ux,\n}\n", "PCL3011", 2 },
        { "profile portcullis-app {\n  /bin/sh Px,\n}\n", "PCL3011", 2 },
        { "profile portcullis-app {\n  /bin/sh pix,\n}\n", "PCL3011", 2 },
        { "profile portcullis-app {\n  /bin/sh cx -> other,\n}\n", "PCL3011", 2 },
        { "profile portcullis-app {\n  /bin/sh ix -> other,\n}\n", "PCL3011", 2 },
        { "@{APP}=/ /etc\nprofile portcullis-app {\n  @{APP}/** rw,\n}\n", "PCL3012", 1 },
        { "abi \"/dev/zero\",\nprofile portcullis-app {\n}\n", "PCL3009", 1 },
        { "profile a {\n}\nprofile b {\n}\n", "PCL3010", 3 },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void The_controller_refuses_hostile_apparmor_content_naming_the_code_and_line(string content, string code, int line)
    {
        var why = ClusterPolicy.Open.CheckContent(ProfileType.AppArmor, Name, Encoding.UTF8.GetBytes(content));
        Assert.NotNull(why);
        Assert.StartsWith(code + ":", why, StringComparison.Ordinal);
        Assert.Contains($"({Name}:{line}:", why, StringComparison.Ordinal);
    }

    [Fact]
    public void A_benign_profile_is_accepted_and_reaches_the_node_only_as_rendered_from_the_model()
    {
        var bytes = Encoding.UTF8.GetBytes(Benign.Replace("/app/** mr,", "/app/** mr, # a comment the node never sees", StringComparison.Ordinal));
        Assert.Null(ClusterPolicy.Open.CheckContent(ProfileType.AppArmor, Name, bytes));
        var rendered = ClusterPolicy.RenameAppArmor(bytes, "portcullis-sha256-0a1b");
        Assert.StartsWith("include <tunables/global>\n\nprofile portcullis-sha256-0a1b flags=(attach_disconnected, mediate_deleted) {\n", rendered, StringComparison.Ordinal);
        Assert.DoesNotContain("comment", rendered, StringComparison.Ordinal);
        Assert.Contains("  /proc/@{pid}/task/@{tid}/comm rw,\n", rendered, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> Constrained => new()
    {
        { "forbiddenCapabilities", "sys_admin", "capability sys_admin," },
        { "forbiddenCapabilities", "sys_admin", "capability," },
        { "forbiddenNetwork", "raw", "network raw," },
        { "forbiddenNetwork", "raw", "network inet," },
        { "forbiddenNetwork", "raw", "network," },
        { "forbiddenNetwork", "packet", "network packet dgram," },
    };

    [Theory]
    [MemberData(nameof(Constrained))]
    public void The_cluster_policy_can_forbid_capabilities_and_network_in_apparmor_profiles(string key, string value, string rule)
    {
        var policy = ClusterPolicy.From(new V1ConfigMap { Data = new Dictionary<string, string> { [key] = value } });
        var content = Encoding.UTF8.GetBytes($"profile portcullis-app {{\n  /app/** mr,\n  {rule}\n}}\n");
        var why = policy.CheckContent(ProfileType.AppArmor, Name, content);
        Assert.NotNull(why);
        Assert.StartsWith("PCL3013:", why, StringComparison.Ordinal);
        Assert.Contains(value, why, StringComparison.Ordinal);
        Assert.Contains($"({Name}:3:", why, StringComparison.Ordinal);
        Assert.Null(ClusterPolicy.Open.CheckContent(ProfileType.AppArmor, Name, content));
    }

    [Fact]
    public void Denied_or_narrower_rules_do_not_break_the_cluster_policy()
    {
        var policy = ClusterPolicy.From(new V1ConfigMap { Data = new Dictionary<string, string> { ["forbiddenCapabilities"] = "sys_admin", ["forbiddenNetwork"] = "raw, packet" } });
        var content = Encoding.UTF8.GetBytes("profile portcullis-app {\n  deny capability sys_admin,\n  capability chown,\n  network inet stream,\n  deny network raw,\n}\n");
        Assert.Null(policy.CheckContent(ProfileType.AppArmor, Name, content));
    }

    [Fact]
    public async Task The_node_loads_only_policy_as_the_controller_renders_it_whoever_wrote_the_resource()
    {
        var dir = Directory.CreateTempSubdirectory("portcullis-apparmor-").FullName;
        try
        {
            var log = Path.Combine(dir, "parser.log");
            // A stand-in for apparmor_parser that notes each call: the build host's kernel has no AppArmor to load into (the kernel lab loads for real).
            var loader = new AppArmorParserLoader(["sh", "-c", "echo \"$@\" >> " + log, "apparmor_parser"]);
            var hostile = Path.Combine(dir, "hostile");
            File.WriteAllText(hostile, "include <tunables/global>\n\nprofile portcullis-sha256-0a1b {\n  include \"/dev/zero\"\n}\n");
            var e = await Assert.ThrowsAsync<InvalidOperationException>(() => loader.LoadAsync(hostile, TestContext.Current.CancellationToken));
            Assert.Contains("PCL3009", e.Message, StringComparison.Ordinal);
            var edited = Path.Combine(dir, "edited");
            File.WriteAllText(edited, ClusterPolicy.RenameAppArmor(Encoding.UTF8.GetBytes(Benign), "portcullis-sha256-0a1b") + "# an extra line\n");
            await Assert.ThrowsAsync<InvalidOperationException>(() => loader.LoadAsync(edited, TestContext.Current.CancellationToken));
            Assert.False(File.Exists(log));

            var rendered = Path.Combine(dir, "rendered");
            File.WriteAllText(rendered, ClusterPolicy.RenameAppArmor(Encoding.UTF8.GetBytes(Benign), "portcullis-sha256-0a1b"));
            await loader.LoadAsync(rendered, TestContext.Current.CancellationToken);
            Assert.Equal($"-r {rendered}\n", File.ReadAllText(log));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
