using System.Text.Json.Nodes;
using Portcullis.Runtime.Kubernetes;
using Portcullis.Runtime.Resources;
using static Portcullis.Runtime.Tests.AgentAdmissionPolicyTests;
using static Portcullis.Runtime.Tests.Manifests;

namespace Portcullis.Runtime.Tests;

/// <summary>
/// Items 11 and 15: in-use profiles are protected by an admission policy instead of a finalizer, so an
/// uninstall that removes the controller first cannot strand the CRD. The policy's CEL runs in a real
/// evaluator; that deleting a CRD removes its objects without admission is kube-apiserver's and is checked
/// end to end by tests/e2e/cluster.sh (no API server runs here).
/// </summary>
public sealed class ProfileDeletionPolicyTests
{
    [Theory]
    [MemberData(nameof(AllOverlays))]
    public void A_profile_running_pods_use_cannot_be_deleted_and_no_manifest_puts_a_finalizer_anywhere(string overlay)
    {
        var objects = Render(overlay);
        var (policies, ns) = Load(overlay);
        Assert.DoesNotContain(objects, o => o["metadata"]?["finalizers"] is JsonArray { Count: > 0 });

        var profile = Json(AgentLab.Profile<SeccompProfileResource>("sha256-aa", WebhookLab.SeccompProfile)).Also(p => p["metadata"]!["labels"] = new JsonObject { ["portcullis.dev/in-use"] = "true" });
        var unused = profile.DeepClone().AsObject().Also(p => p["metadata"]!["labels"]!.AsObject().Remove("portcullis.dev/in-use"));
        var admin = new Caller("kubernetes-admin", ["system:masters", "system:authenticated"], new Dictionary<string, string[]>());
        JsonObject Delete(JsonObject old, Caller who, ResourceKind? kind = null) => AdmissionPolicies.Request("DELETE", kind ?? ResourceKind.Of<SeccompProfileResource>(), "sha256-aa", null, null, old, who);

        var wrong = new List<string>();
        Expect(wrong, policies, "a person deletes a profile running pods use", false, Delete(profile, admin), "running pods use this profile");
        Expect(wrong, policies, "... an AppArmor one", false, Delete(profile, admin, ResourceKind.Of<AppArmorProfileResource>()), "running pods use this profile");
        Expect(wrong, policies, "a person deletes an unused profile", true, Delete(unused, admin));
        Expect(wrong, policies, "the controller collects an unused profile", true, Delete(unused, Caller.Manager(ns)));
        Assert.Empty(wrong);
    }

    public static TheoryData<string> AllOverlays => new(Manifests.Overlays);
}
