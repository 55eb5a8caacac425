using System.Text.Json.Nodes;
using k8s;
using Microsoft.Extensions.Configuration;
using Portcullis.Runtime.Controller;
using Portcullis.Runtime.Hosting;
using Portcullis.Runtime.Kubernetes;
using Portcullis.Runtime.Resources;
using static Portcullis.Runtime.Tests.Manifests;

namespace Portcullis.Runtime.Tests;

/// <summary>deploy/ base and every overlay, rendered by the real kubectl kustomize and checked object by object.</summary>
public sealed class DeployTests
{
    public static TheoryData<string> AllOverlays => new(Manifests.Overlays);

    [Theory]
    [MemberData(nameof(AllOverlays))]
    public void Every_object_is_complete_and_lives_in_the_install_namespace(string overlay)
    {
        var objects = Render(overlay);
        var ns = Str(Single(objects, "Namespace")["metadata"]!["name"])!;
        foreach (var o in objects)
        {
            var what = $"{Str(o["kind"])}/{Str(o["metadata"]?["name"])}";
            Assert.False(string.IsNullOrEmpty(Str(o["apiVersion"])), what + ": apiVersion");
            Assert.False(string.IsNullOrEmpty(Str(o["metadata"]?["name"])), what + ": name");
            var pullSecrets = Str(o["kind"]) == "RoleBinding" && Str(o["roleRef"]!["name"]) == "portcullis-pull-secrets"; // one per namespace that binds
            if (Str(o["kind"]) is "Deployment" or "DaemonSet" or "Service" or "ServiceAccount" or "Role" or "RoleBinding" or "ConfigMap" && !pullSecrets)
                Assert.Equal(ns, Str(o["metadata"]!["namespace"]));
        }
        foreach (var binding in objects.Where(o => Str(o["kind"]) is "ClusterRoleBinding" or "RoleBinding"))
            Assert.All(binding["subjects"]!.AsArray(), s => Assert.Equal(ns, Str(s!["namespace"])));
        Assert.DoesNotContain(objects, o => o.ToJsonString().Contains("portcullis-system", StringComparison.Ordinal) && ns != "portcullis-system");
    }

    [Fact]
    public void Each_resource_the_code_uses_has_a_CRD_of_the_same_kind_plural_and_scope_with_printer_columns()
    {
        var crds = Render("base").Where(o => Str(o["kind"]) == "CustomResourceDefinition").ToList();
        var ours = ResourceKind.All.Where(k => k.Kind.Group == RuntimeNames.Group).ToList();
        Assert.Equal(ours.Count, crds.Count);
        foreach (var (_, kind) in ours)
        {
            var crd = Single(crds, "CustomResourceDefinition", $"{kind.Plural}.{kind.Group}");
            Assert.Equal(kind.Kind, Str(crd["spec"]!["names"]!["kind"]));
            Assert.Equal(kind.Namespaced ? "Namespaced" : "Cluster", Str(crd["spec"]!["scope"]));
            var version = Assert.Single(crd["spec"]!["versions"]!.AsArray());
            Assert.Equal((kind.Version, "true", "true"), (Str(version!["name"]), Str(version["served"]), Str(version["storage"])));
            Assert.NotEmpty(version["additionalPrinterColumns"]!.AsArray());
        }
    }

    [Fact]
    public void What_the_code_writes_is_accepted_by_the_CRD_schemas()
    {
        var crds = Render("base").Where(o => Str(o["kind"]) == "CustomResourceDefinition").ToList();
        JsonNode Schema(string plural) => Single(crds, "CustomResourceDefinition", plural + ".portcullis.dev")["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!;
        JsonNode Json(object o) => JsonNode.Parse(KubernetesJson.Serialize(o))!;

        var bound = new BoundProfile(ProfileType.Seccomp, "sha256-" + new string('a', 64), "portcullis/sha256-aa.json", "r.example/app@sha256:" + new string('a', 64), "sha256:" + new string('b', 64), "image");
        var seccomp = ProfileFetcher.Resource(bound, WebhookLab.SeccompProfile, new ProfileSource { Registry = "r.example", Repository = "app", ImageDigest = bound.Subject!, ArtifactDigest = "sha256:" + new string('a', 64) }, ProfilePhase.Pending, null);
        seccomp.Status!.LastUsed = DateTime.UtcNow;
        var appArmor = ProfileFetcher.Resource(bound with { Type = ProfileType.AppArmor }, WebhookLab.AppArmorProfile, null, ProfilePhase.Rejected, "why");
        var status = new ProfileNodeStatusResource { Spec = new() { NodeName = "n", ProfileName = "p", ProfileType = ProfileType.AppArmor }, Status = new() { State = NodeState.Unsupported, ContentDigest = "sha256:x" } };
        var binding = new ProfileBindingResource { Spec = new() { Image = "r.example/**", SeccompProfile = "p", PodSelector = new() { MatchLabels = new Dictionary<string, string> { ["app"] = "x" } } } };

        Assert.Equal([], SchemaValidator.Validate(Json(seccomp), Schema("seccompprofiles")));
        Assert.Equal([], SchemaValidator.Validate(Json(appArmor), Schema("apparmorprofiles")));
        Assert.Equal([], SchemaValidator.Validate(Json(status), Schema("profilenodestatuses")));
        Assert.Equal([], SchemaValidator.Validate(Json(binding), Schema("profilebindings")));
        // and the validator can say no
        Assert.NotEmpty(SchemaValidator.Validate(Json(new ProfileBindingResource { Spec = new() { Image = "x" } }), Schema("profilebindings")));
        Assert.NotEmpty(SchemaValidator.Validate(Json(status).AsObject().Also(o => o["status"]!["state"] = "Maybe"), Schema("profilenodestatuses")));
    }

    [Theory]
    [MemberData(nameof(AllOverlays))]
    public void The_webhook_fails_open_mutates_pod_creation_only_and_never_sees_its_own_or_kube_system_pods(string overlay)
    {
        var objects = Render(overlay);
        var ns = Str(Single(objects, "Namespace")["metadata"]!["name"])!;
        var hook = Assert.Single(Single(objects, "MutatingWebhookConfiguration", new RuntimeOptions().WebhookConfiguration)["webhooks"]!.AsArray())!;
        Assert.Equal("NoneOnDryRun", Str(hook["sideEffects"])); // it writes Events, never on a dry run
        Assert.Equal(overlay == "overlays/fail-closed" ? "Fail" : "Ignore", Str(hook["failurePolicy"]));
        Assert.InRange(hook["timeoutSeconds"]!.GetValue<long>(), new RuntimeOptions().AdmissionBudget.TotalSeconds + 2, 30);
        var rule = Assert.Single(hook["rules"]!.AsArray())!;
        Assert.Equal(["CREATE"], rule["operations"]!.AsArray().Select(Str));
        Assert.Equal(["pods"], rule["resources"]!.AsArray().Select(Str));
        Assert.Equal("enabled", Str(hook["namespaceSelector"]!["matchLabels"]![RuntimeNames.BindLabel]));
        var excluded = hook["namespaceSelector"]!["matchExpressions"]!.AsArray().Single(e => Str(e!["operator"]) == "NotIn")!["values"]!.AsArray().Select(Str);
        Assert.Contains("kube-system", excluded);
        Assert.Contains(ns, excluded);

        var service = hook["clientConfig"]!["service"]!;
        Assert.Equal(RuntimeHost.WebhookPath, Str(service["path"]));
        Assert.Equal(ns, Str(service["namespace"]));
        var svc = Single(objects, "Service", Str(service["name"]));
        var port = svc["spec"]!["ports"]!.AsArray().Single(p => p!["port"]!.GetValue<long>() == service["port"]!.GetValue<long>())!;
        var manager = Single(objects, "Deployment");
        Assert.True(LabelsMatch(svc["spec"]!["selector"]!, manager["spec"]!["template"]!["metadata"]!["labels"]!), "the Service selects the manager's pods");
        var container = manager["spec"]!["template"]!["spec"]!["containers"]![0]!;
        Assert.Contains(container["ports"]!.AsArray(), p => Str(p!["name"]) == Str(port["targetPort"]) && p["containerPort"]!.GetValue<long>() == new RuntimeOptions().HttpsPort);
        Assert.Contains("webhook", Str(container["args"]![0])!, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AllOverlays))]
    public void The_programs_accept_their_arguments_and_the_agent_writes_where_the_kubelet_reads(string overlay)
    {
        var objects = Render(overlay);
        foreach (var workload in objects.Where(o => Str(o["kind"]) is "Deployment" or "DaemonSet"))
        {
            var spec = workload["spec"]!["template"]!["spec"]!;
            var container = spec["containers"]![0]!;
            var args = container["args"]!.AsArray().Select(a => Str(a)!).ToArray();
            var options = RuntimeOptions.From(new ConfigurationBuilder().AddCommandLine(args[1..]).Build());
            Assert.All(args[0].Split(','), role => Assert.True(Enum.TryParse<Role>(role, true, out _), role));
            Assert.StartsWith("registry.example/portcullis/runtime:", Str(container["image"]), StringComparison.Ordinal);
            Assert.Single(objects, o => Str(o["kind"]) == "ServiceAccount" && Str(o["metadata"]!["name"]) == Str(spec["serviceAccountName"]));
            Assert.Equal(("/healthz", "/readyz"), (Str(container["livenessProbe"]!["httpGet"]!["path"]), Str(container["readinessProbe"]!["httpGet"]!["path"])));
            if (Str(workload["kind"]) != "DaemonSet")
            {
                // failurePolicy alone fails closed only when the webhook cannot answer, not when it answers "unbound".
                Assert.Equal(overlay == "overlays/fail-closed", options.FailClosed);
                Assert.Equal(overlay == "overlays/webhook-client-auth", options.WebhookClientCaFile is not null);
                if (options.WebhookClientCaFile is { } caFile)
                {
                    // The file the option names lies in a mounted Secret volume whose items put ca.crt there.
                    var caMount = container["volumeMounts"]!.AsArray().Single(m => caFile.StartsWith(Str(m!["mountPath"]) + "/", StringComparison.Ordinal))!;
                    var secret = spec["volumes"]!.AsArray().Single(v => Str(v!["name"]) == Str(caMount["name"]))!["secret"]!;
                    Assert.Contains(secret["items"]!.AsArray(), i => Str(caMount["mountPath"]) + "/" + Str(i!["path"]) == caFile);
                }
                continue;
            }
            Assert.Equal("spec.nodeName", Str(container["env"]!.AsArray().Single(e => Str(e!["name"]) == "NODE_NAME")!["valueFrom"]!["fieldRef"]!["fieldPath"]));
            var seccompDir = Path.Combine(options.KubeletRoot, "seccomp");
            var mount = container["volumeMounts"]!.AsArray().Single(m => Str(m!["mountPath"]) == seccompDir)!;
            var volume = spec["volumes"]!.AsArray().Single(v => Str(v!["name"]) == Str(mount["name"]))!;
            Assert.Equal(seccompDir, Str(volume["hostPath"]!["path"]));
            Assert.Contains(container["volumeMounts"]!.AsArray(), m => Str(m!["mountPath"]) == options.AppArmorRoot);
            Assert.Contains(spec["tolerations"]!.AsArray(), t => Str(t!["operator"]) == "Exists");
        }
        if (overlay == "overlays/crio")
        {
            Assert.DoesNotContain(objects, o => Str(o["kind"]) == "DaemonSet");
            Assert.Contains("--Mode=CriO", Single(objects, "Deployment")["spec"]!["template"]!["spec"]!["containers"]![0]!["args"]!.AsArray().Select(Str));
        }
    }

    [Fact]
    public void The_policy_overlay_parses_into_the_policy_the_controller_applies()
    {
        var map = Single(Render("overlays/policy"), "ConfigMap", new RuntimeOptions().PolicyConfigMap);
        var policy = ClusterPolicy.From(KubernetesJson.Deserialize<k8s.Models.V1ConfigMap>(map.ToJsonString()));
        Assert.Contains("ptrace", policy.ForbiddenSyscalls);
        Assert.NotNull(policy.CheckRegistry("127.0.0.1:5000"));
        Assert.Null(policy.CheckRegistry("registry.example"));
        Assert.Equal(ClusterPolicy.Open.ForbiddenSyscalls, ClusterPolicy.From(KubernetesJson.Deserialize<k8s.Models.V1ConfigMap>(Single(Render("base"), "ConfigMap").ToJsonString())).ForbiddenSyscalls);
    }

    private static bool LabelsMatch(JsonNode selector, JsonNode labels) =>
        selector.AsObject().All(kv => Str(labels[kv.Key]) == Str(kv.Value));
}

internal static class JsonObjectExtensions
{
    public static JsonObject Also(this JsonObject o, Action<JsonObject> change)
    {
        change(o);
        return o;
    }
}
