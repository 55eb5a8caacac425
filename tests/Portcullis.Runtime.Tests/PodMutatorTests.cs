using System.Text.Json.Nodes;
using Portcullis.Runtime.Hosting;
using Portcullis.Runtime.Kubernetes;
using Portcullis.Runtime.Resources;
using Portcullis.Runtime.Webhook;

namespace Portcullis.Runtime.Tests;

public sealed class PodMutatorTests
{
    private static readonly BoundProfile Seccomp = new(ProfileType.Seccomp, "sha256-aa", "portcullis/sha256-aa.json", "r.example/app@sha256:aa", "sha256:bb", "image");

    private static JsonObject Pod(string spec) => JsonNode.Parse("{\"metadata\":{\"name\":\"p\"},\"spec\":{" + spec + "}}")!.AsObject();

    private static JsonObject Apply(JsonObject pod, IReadOnlyList<PatchOperation> patch) =>
        (JsonObject)JsonPatchApplier.Apply(pod, new JsonArray(patch.Select(p => (JsonNode)p.ToJson()).ToArray()));

    [Fact]
    public void Every_node_selector_term_the_pod_has_gets_the_requirement_because_terms_are_ORed()
    {
        var pod = Pod("""
            "containers":[{"name":"app","image":"r.example/app:1"}],
            "affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[
              {"matchExpressions":[{"key":"zone","operator":"In","values":["a"]}]},
              {"matchFields":[{"key":"metadata.name","operator":"In","values":["n1"]}]}]}}}
            """);
        var patched = Apply(pod, PodMutator.Patch(pod, [new ContainerBinding("/spec/containers/0", "app", "r.example/app:1", "r.example/app@sha256:bb", null, Seccomp, null)], BindingMode.Localhost, gate: true));

        var terms = patched["spec"]!["affinity"]!["nodeAffinity"]!["requiredDuringSchedulingIgnoredDuringExecution"]!["nodeSelectorTerms"]!.AsArray();
        Assert.Equal(2, terms.Count);
        Assert.Equal(["zone", "portcullis.dev/agent-ready"], terms[0]!["matchExpressions"]!.AsArray().Select(e => e!["key"]!.GetValue<string>()));
        Assert.Equal(["portcullis.dev/agent-ready"], terms[1]!["matchExpressions"]!.AsArray().Select(e => e!["key"]!.GetValue<string>()));
        Assert.Equal("metadata.name", terms[1]!["matchFields"]![0]!["key"]!.GetValue<string>());
        Assert.Equal("r.example/app@sha256:bb", patched["spec"]!["containers"]![0]!["image"]!.GetValue<string>());
    }

    [Fact]
    public void An_existing_security_context_keeps_its_fields_and_gains_only_the_profile()
    {
        var pod = Pod("""
            "schedulingGates":[{"name":"other.example/gate"}],
            "containers":[{"name":"app","image":"r.example/app@sha256:bb","securityContext":{"runAsUser":1000,"capabilities":{"drop":["ALL"]}}}]
            """);
        var patched = Apply(pod, PodMutator.Patch(pod, [new ContainerBinding("/spec/containers/0", "app", "r.example/app@sha256:bb", "r.example/app@sha256:bb", null, Seccomp, null)], BindingMode.Localhost, gate: true));

        var context = patched["spec"]!["containers"]![0]!["securityContext"]!;
        Assert.Equal(1000, context["runAsUser"]!.GetValue<int>());
        Assert.Equal("ALL", context["capabilities"]!["drop"]![0]!.GetValue<string>());
        Assert.Equal("portcullis/sha256-aa.json", context["seccompProfile"]!["localhostProfile"]!.GetValue<string>());
        Assert.Equal(["other.example/gate", "portcullis.dev/profiles"], patched["spec"]!["schedulingGates"]!.AsArray().Select(g => g!["name"]!.GetValue<string>()));
    }

    [Fact]
    public void Cri_o_mode_names_the_artifact_in_the_annotation_and_neither_gates_nor_writes_a_localhost_profile()
    {
        var pod = Pod("""
            "containers":[{"name":"app","image":"r.example/app:1"}]
            """);
        var patched = Apply(pod, PodMutator.Patch(pod, [new ContainerBinding("/spec/containers/0", "app", "r.example/app:1", "r.example/app@sha256:bb", null, Seccomp, null)], BindingMode.CriO, gate: true));

        Assert.Equal("r.example/app@sha256:aa", patched["metadata"]!["annotations"]!["seccomp-profile.kubernetes.cri-o.io/app"]!.GetValue<string>());
        Assert.Null(patched["spec"]!["containers"]![0]!["securityContext"]);
        Assert.Null(patched["spec"]!["schedulingGates"]);
        Assert.Null(patched["spec"]!["affinity"]);
        Assert.Equal("r.example/app@sha256:bb", patched["spec"]!["containers"]![0]!["image"]!.GetValue<string>());
    }

    [Fact]
    public void A_multi_platform_image_pinned_to_one_platform_steers_the_pod_to_that_architecture()
    {
        var pod = Pod("""
            "containers":[{"name":"app","image":"r.example/app:1"}]
            """);
        var patched = Apply(pod, PodMutator.Patch(pod, [new ContainerBinding("/spec/containers/0", "app", "r.example/app:1", "r.example/app@sha256:bb", "linux/arm64", Seccomp, null)], BindingMode.Localhost, gate: true));
        var expressions = patched["spec"]!["affinity"]!["nodeAffinity"]!["requiredDuringSchedulingIgnoredDuringExecution"]!["nodeSelectorTerms"]![0]!["matchExpressions"]!.AsArray();
        Assert.Contains(expressions, e => e!["key"]!.GetValue<string>() == "kubernetes.io/arch" && e["values"]![0]!.GetValue<string>() == "arm64");
    }

    [Fact]
    public void Nothing_bound_means_no_patch_at_all()
    {
        var pod = Pod("""
            "containers":[{"name":"app","image":"r.example/app:1"}]
            """);
        Assert.Empty(PodMutator.Patch(pod, [new ContainerBinding("/spec/containers/0", "app", "r.example/app:1", null, null, null, null)], BindingMode.Localhost, gate: true));
    }

    [Theory]
    [InlineData("r.example/shop/*:1", "r.example/shop/api:1", true)]
    [InlineData("r.example/shop/*:1", "r.example/shop/team/api:1", false)]
    [InlineData("r.example/**", "r.example/shop/team/api:1", true)]
    [InlineData("r.example/shop/api:1", "r.example/shop/api:10", false)]
    [InlineData("r.example/shop/api.v2", "r.example/shop/apixv2", false)]
    public void Image_patterns(string pattern, string image, bool matches) => Assert.Equal(matches, ImagePattern.Matches(pattern, image));
}
