using Portcullis.Profiles.Diagnostics;
using Portcullis.Profiles.Documents;
using Portcullis.Profiles.Loading;
using Portcullis.Profiles.Seccomp;
using Portcullis.Profiles.Spo;
using Portcullis.Profiles.Tests.Support;

namespace Portcullis.Profiles.Tests.Spo;

public sealed class SpoTests
{
    public static TheoryData<string> ProfileFiles => new(
        "spo/seccompprofile.yaml", "spo/seccompprofile-allowed-syscalls-validation.yaml", "spo/baseprofile-runc.yaml",
        "spo/baseprofile-crun.yaml", "spo/apparmorprofile.yaml", "spo/apparmorprofile-sleep-crun.yaml");

    [Theory]
    [MemberData(nameof(ProfileFiles))]
    public void Every_example_parses_and_round_trips_through_yaml(string file)
    {
        var bag = new DiagnosticBag();
        var docs = Load.File(Repo.Data(file), bag);
        Assert.NotEmpty(docs);
        Assert.DoesNotContain(bag.Items, d => d.Severity != Severity.Info);

        var written = DocYamlWriter.Write(docs.Select(d => d switch
        {
            SeccompDocument s => (DocNode)SpoWriter.ToDoc(s.Spo!, new DiagnosticBag()),
            AppArmorDocument a => SpoWriter.ToDoc(a.Spo!),
            _ => throw new InvalidOperationException(),
        }));
        var again = Load.Text(written, "again.yaml");
        Assert.Equal(docs.Select(Strip), again.Select(Strip));
    }

    [Fact]
    public void The_multi_document_file_holds_four_profiles_with_their_names()
    {
        var docs = Load.File(Repo.Data("spo/seccompprofile.yaml"));
        Assert.Equal(["profile-block-all", "profile-complain-unsafe", "profile-allow-unsafe", "profile-complain-block-high-risk"], docs.Select(d => d.Name));
        var last = (SeccompDocument)docs[3];
        Assert.Equal(SeccompAction.Log, last.Profile.DefaultAction);
        Assert.Equal(50, last.Profile.Syscalls[1].Names.Count);
        Assert.Equal("Enables complain mode whilst blocking high-risk syscalls. Some essential syscalls are allowed to decrease log noise.",
            ((DocScalar)((DocMap)last.Spo!.Meta.Metadata.Get("annotations")!).Get("description")!).Text);
    }

    [Fact]
    public void Non_profile_kinds_are_skipped_with_a_note()
    {
        var bag = new DiagnosticBag();
        var e = Assert.Throws<ProfileException>(() => Load.File(Repo.Data("spo/profilebinding.yaml"), bag));
        Assert.Equal(DiagnosticId.UnrecognizedDocument, e.Diagnostic.Id);
        Assert.Contains("ProfileBinding", Assert.Single(bag.Items).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("security-profiles-operator.x-k8s.io/v1beta1", true)]
    [InlineData("security-profiles-operator.x-k8s.io/v1", true)]
    [InlineData("security-profiles-operator.x-k8s.io/v2", false)]
    [InlineData("example.com/v1", false)]
    public void Api_versions_are_checked(string apiVersion, bool accepted)
    {
        var yaml = $"apiVersion: {apiVersion}\nkind: SeccompProfile\nmetadata:\n  name: x\nspec:\n  defaultAction: SCMP_ACT_ERRNO\n";
        if (accepted)
            Assert.Equal("x", Assert.Single(Load.Text(yaml, "v.yaml")).Name);
        else
            Assert.Equal(DiagnosticId.UnrecognizedDocument, Assert.Throws<ProfileException>(() => Load.Text(yaml, "v.yaml")).Diagnostic.Id);
    }

    [Fact]
    public void A_bad_field_in_yaml_names_its_line()
    {
        var e = Assert.Throws<ProfileException>(() => Load.Text("apiVersion: security-profiles-operator.x-k8s.io/v1\nkind: SeccompProfile\nmetadata:\n  name: x\nspec:\n  defaultAction: SCMP_ACT_ERRNO\n  syscalls:\n  - action: SCMP_ACT_ALLOWED\n    names: [read]\n", "bad.yaml"));
        Assert.Equal((DiagnosticId.UnknownValue, "spec.syscalls[0].action", 8), (e.Diagnostic.Id, e.Diagnostic.Field, e.Diagnostic.Origin.Line));
    }

    [Fact]
    public void Writing_spo_reports_what_the_crd_cannot_hold()
    {
        var bag = new DiagnosticBag();
        var docker = Load.OneSeccomp(Repo.Data("seccomp/containers-common.json"));
        SpoWriter.ToDoc(new SpoSeccompProfile(SpoMetadata.New("SeccompProfile", "c"), docker, null, null, []), bag);
        Assert.Contains(bag.Items, d => d.Id == DiagnosticId.LossyConversion && d.Message.Contains("defaultErrnoRet 38", StringComparison.Ordinal));
        Assert.Contains(bag.Items, d => d.Id == DiagnosticId.LossyConversion && d.Message.Contains("archMap", StringComparison.Ordinal));
    }

    private static object Strip(ProfileDocument d) => d switch
    {
        SeccompDocument s => (s.Name, s.Profile),
        AppArmorDocument a => (a.Name, a.Profile),
        _ => d,
    };
}
