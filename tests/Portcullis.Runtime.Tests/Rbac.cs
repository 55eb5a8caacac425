using System.Text.Json.Nodes;
using static Portcullis.Runtime.Tests.Manifests;

namespace Portcullis.Runtime.Tests;

/// <summary>Kubernetes RBAC evaluation over rendered manifests: may this service account do this?</summary>
public static class Rbac
{
    public static bool Allows(IReadOnlyList<JsonObject> objects, string serviceAccount, string installNamespace, string verb, string group, string resource, string? ns, string? name)
    {
        bool Binds(JsonObject binding) => binding["subjects"]!.AsArray().Any(s =>
            Str(s!["kind"]) == "ServiceAccount" && Str(s["name"]) == serviceAccount && Str(s["namespace"]) == installNamespace);
        IEnumerable<JsonNode> Rules(string kind, string roleName, string? roleNamespace) => objects
            .Where(o => Str(o["kind"]) == kind && Str(o["metadata"]!["name"]) == roleName && (roleNamespace is null || Str(o["metadata"]!["namespace"]) == roleNamespace))
            .SelectMany(o => o["rules"]!.AsArray()!)!;
        var rules = objects.Where(o => Str(o["kind"]) == "ClusterRoleBinding" && Binds(o))
            .SelectMany(b => Rules("ClusterRole", Str(b["roleRef"]!["name"])!, null)).ToList();
        if (ns is not null)
        {
            rules.AddRange(objects.Where(o => Str(o["kind"]) == "RoleBinding" && Str(o["metadata"]!["namespace"]) == ns && Binds(o))
                .SelectMany(b => Rules(Str(b["roleRef"]!["kind"])!, Str(b["roleRef"]!["name"])!, Str(b["roleRef"]!["kind"]) == "Role" ? ns : null)));
        }
        return rules.Any(r =>
            Has(r["apiGroups"], group) && Has(r["resources"], resource) && Has(r["verbs"], verb)
            && (r["resourceNames"] is not JsonArray names || (name is not null && verb is not ("create" or "list" or "watch") && names.Any(n => Str(n) == name))));
    }

    private static bool Has(JsonNode? list, string value) => list is JsonArray a && a.Any(v => Str(v) == value || Str(v) == "*");
}
