using System.Text.Json.Nodes;
using static Portcullis.Runtime.Tests.Manifests;

namespace Portcullis.Runtime.Tests;

/// <summary>Kubernetes RBAC evaluation over rendered manifests: may this service account do this?</summary>
public static class Rbac
{
    public static bool Allows(IReadOnlyList<JsonObject> objects, string serviceAccount, string installNamespace, string verb, string group, string resource, string? ns, string? name) =>
        Rules(objects, serviceAccount, installNamespace).Any(r =>
            (r.Namespace is null || r.Namespace == ns)
            && Has(r.Rule["apiGroups"], group) && Has(r.Rule["resources"], resource) && Has(r.Rule["verbs"], verb)
            && (r.Rule["resourceNames"] is not JsonArray names || (name is not null && verb is not ("create" or "list" or "watch") && names.Any(n => Str(n) == name))));

    /// <summary>Every rule granted to the account, with the namespace it holds in (null: cluster-wide).</summary>
    public static IReadOnlyList<(JsonNode Rule, string? Namespace)> Rules(IReadOnlyList<JsonObject> objects, string serviceAccount, string installNamespace)
    {
        bool Binds(JsonObject binding) => binding["subjects"]!.AsArray().Any(s =>
            Str(s!["kind"]) == "ServiceAccount" && Str(s["name"]) == serviceAccount && Str(s["namespace"]) == installNamespace);
        IEnumerable<JsonNode> Of(string kind, string roleName, string? roleNamespace) => objects
            .Where(o => Str(o["kind"]) == kind && Str(o["metadata"]!["name"]) == roleName && (roleNamespace is null || Str(o["metadata"]!["namespace"]) == roleNamespace))
            .SelectMany(o => o["rules"]!.AsArray()!)!;
        var rules = objects.Where(o => Str(o["kind"]) == "ClusterRoleBinding" && Binds(o))
            .SelectMany(b => Of("ClusterRole", Str(b["roleRef"]!["name"])!, null)).Select(r => (r, (string?)null)).ToList();
        foreach (var binding in objects.Where(o => Str(o["kind"]) == "RoleBinding" && Binds(o)))
        {
            var ns = Str(binding["metadata"]!["namespace"]);
            var roleKind = Str(binding["roleRef"]!["kind"])!;
            rules.AddRange(Of(roleKind, Str(binding["roleRef"]!["name"])!, roleKind == "Role" ? ns : null).Select(r => (r, ns)));
        }
        return rules;
    }

    private static bool Has(JsonNode? list, string value) => list is JsonArray a && a.Any(v => Str(v) == value || Str(v) == "*");
}
