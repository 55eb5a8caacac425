using System.Text.Json.Nodes;
using Portcullis.Runtime.Kubernetes;
using static Portcullis.Runtime.Tests.Manifests;

namespace Portcullis.Runtime.Tests;

/// <summary>
/// The ValidatingAdmissionPolicies an overlay renders, applied as kube-apiserver applies them: a policy with
/// a Deny binding whose matchConstraints select the request has its CEL evaluated (<see cref="CelAdmission"/>).
/// Selectors in matchConstraints or bindings are not implemented: the manifests use none, and
/// <see cref="From"/> refuses them rather than ignoring them.
/// </summary>
public sealed class AdmissionPolicies
{
    private readonly List<(string Name, JsonObject Spec)> _policies = [];

    private AdmissionPolicies() { }

    public int Count => _policies.Count;

    public static AdmissionPolicies From(IReadOnlyList<JsonObject> objects)
    {
        var result = new AdmissionPolicies();
        var bindings = objects.Where(o => Str(o["kind"]) == "ValidatingAdmissionPolicyBinding").ToList();
        foreach (var policy in objects.Where(o => Str(o["kind"]) == "ValidatingAdmissionPolicy"))
        {
            var name = Str(policy["metadata"]!["name"])!;
            var spec = policy["spec"]!.AsObject();
            Assert.Equal("Fail", Str(spec["failurePolicy"]));
            Assert.Null(spec["paramKind"]);
            Assert.Null(spec["matchConstraints"]!["namespaceSelector"]);
            Assert.Null(spec["matchConstraints"]!["objectSelector"]);
            var binding = Assert.Single(bindings, b => Str(b["spec"]!["policyName"]) == name);
            Assert.Null(binding["spec"]!["matchResources"]);
            Assert.Null(binding["spec"]!["paramRef"]);
            Assert.Equal(["Deny"], binding["spec"]!["validationActions"]!.AsArray().Select(Str));
            result._policies.Add((name, spec));
        }
        return result;
    }

    /// <summary>Each refusal as "policy: message"; empty when the request is admitted.</summary>
    public IReadOnlyList<string> Refusals(JsonObject request) => Verdicts(request).SelectMany(v => v.Violations.Select(m => $"{v.Policy}: {m}")).ToList();

    /// <summary>The policies that apply to the request, with what each found wrong.</summary>
    public IReadOnlyList<(string Policy, IReadOnlyList<string> Violations)> Verdicts(JsonObject request)
    {
        var verdicts = new List<(string, IReadOnlyList<string>)>();
        foreach (var (name, spec) in _policies.Where(p => Selects(p.Spec["matchConstraints"]!, request)))
        {
            var (matched, violations) = CelAdmission.Shared.Evaluate(spec, request);
            if (matched)
                verdicts.Add((name, violations));
        }
        return verdicts;
    }

    /// <summary>An AdmissionRequest (admission.k8s.io/v1) as kube-apiserver sends it to policies and webhooks.</summary>
    public static JsonObject Request(string operation, ResourceKind kind, string name, string? ns, JsonNode? obj, JsonNode? oldObj, Caller caller, string subResource = "") => new()
    {
        ["uid"] = Guid.NewGuid().ToString(),
        ["kind"] = new JsonObject { ["group"] = kind.Group, ["version"] = kind.Version, ["kind"] = kind.Kind },
        ["resource"] = new JsonObject { ["group"] = kind.Group, ["version"] = kind.Version, ["resource"] = kind.Plural },
        ["subResource"] = subResource,
        ["name"] = name,
        ["namespace"] = ns ?? "",
        ["operation"] = operation,
        ["userInfo"] = new JsonObject
        {
            ["username"] = caller.Username,
            ["groups"] = new JsonArray(caller.Groups.Select(g => (JsonNode?)g).ToArray()),
            ["extra"] = new JsonObject(caller.Extra.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)new JsonArray(e.Value.Select(v => (JsonNode?)v).ToArray())))),
        },
        ["object"] = obj?.DeepClone(),
        ["oldObject"] = oldObj?.DeepClone(),
        ["dryRun"] = false,
    };

    private static bool Selects(JsonNode constraints, JsonObject request)
    {
        static bool Has(JsonNode? list, string value) => list is JsonArray a && a.Any(v => Str(v) == "*" || Str(v) == value);
        var group = Str(request["resource"]!["group"])!;
        var version = Str(request["resource"]!["version"])!;
        var resource = Str(request["resource"]!["resource"])!;
        var sub = Str(request["subResource"]) ?? "";
        bool ResourceMatches(JsonNode? list) => list is JsonArray a && a.Select(Str).Any(r =>
            r == "*/*" || (sub.Length == 0 && (r == resource || r == "*")) || (sub.Length > 0 && (r == $"{resource}/{sub}" || r == $"{resource}/*" || r == $"*/{sub}")));
        bool RuleMatches(JsonNode rule) =>
            Has(rule["apiGroups"], group) && Has(rule["apiVersions"], version) && Has(rule["operations"], Str(request["operation"])!) && ResourceMatches(rule["resources"])
            && (rule["resourceNames"] is not JsonArray names || names.Count == 0 || names.Any(n => Str(n) == Str(request["name"])));
        return constraints["resourceRules"]!.AsArray().Any(r => RuleMatches(r!))
            && !(constraints["excludeResourceRules"] is JsonArray excluded && excluded.Any(r => RuleMatches(r!)));
    }
}
