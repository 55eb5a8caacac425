using System.Text;
using Portcullis.Profiles.Diagnostics;
using Portcullis.Profiles.Documents;
using Portcullis.Profiles.Generation;
using Portcullis.Profiles.Recordings;
using Portcullis.Profiles.Seccomp;

namespace Portcullis.Profiles.Tests.Seccomp;

/// <summary>What the cluster accepts from an image must still be what Portcullis generates; what it stores reads back to what it judged.</summary>
public sealed class UntrustedSeccompTests
{
    [Fact]
    public void A_generated_profile_is_accepted_its_comments_dropped_and_its_canonical_form_is_a_fixed_point()
    {
        var generated = SeccompGenerator.Generate(new GenerationRequest { Recordings = [new LabeledRecording("t", new Recording())] }, new DiagnosticBag()).Profile;
        Assert.Contains(generated.Syscalls, r => r.Comment is not null);
        var bytes = DocJsonWriter.Write(SeccompWriter.ToDoc(generated));
        var judged = UntrustedSeccomp.Read(bytes, "artifact");
        Assert.All(judged.Syscalls, r => Assert.Null(r.Comment));
        var stored = UntrustedSeccomp.Canonical(judged);
        Assert.DoesNotContain("comment", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", stored, StringComparison.Ordinal);
        var again = UntrustedSeccomp.Read(Encoding.UTF8.GetBytes(stored), "stored");
        Assert.Equal(SeccompCanonicalizer.Normalize(judged), again);
        Assert.Equal(stored, UntrustedSeccomp.Canonical(again));
    }

    [Theory]
    [InlineData("""{"defaultAction":"SCMP_ACT_ERRNO","listenerPath":"/run/agent.sock"}""", DiagnosticId.FieldNotInRuntimeSpec)]
    [InlineData("""{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":1,"op":"SCMP_CMP_EQ","Op":"SCMP_CMP_NE"}]}]}""", DiagnosticId.DuplicateKey)]
    [InlineData("""{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"name":"read","action":"SCMP_ACT_ALLOW"}]}""", DiagnosticId.FieldNotInRuntimeSpec)]
    [InlineData("""{"defaultAction":"SCMP_ACT_ERRNO","defaultAction":"SCMP_ACT_ALLOW"}""", DiagnosticId.DuplicateKey)]
    [InlineData("""{"defaultAction":"SCMP_ACT_ERRNO","\u212Aind":"x"}""", DiagnosticId.FieldNotInRuntimeSpec)]
    [InlineData("defaultAction: SCMP_ACT_ALLOW\n", DiagnosticId.MalformedJson)]
    public void Anything_but_plain_runtime_spec_json_is_refused(string json, DiagnosticId id) =>
        Assert.Equal(id, Assert.Throws<ProfileException>(() => UntrustedSeccomp.Read(Encoding.UTF8.GetBytes(json), "artifact")).Diagnostic.Id);
}
