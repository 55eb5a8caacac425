using System.Globalization;
using System.Text;
using k8s.Models;
using Portcullis.Runtime.Kubernetes;
using Portcullis.Runtime.Resources;

namespace Portcullis.Runtime.Status;

/// <summary>`cluster status`: profiles and their phases, each node's state of each, and the pods bound to them.</summary>
public static class ClusterStatusReport
{
    public static async Task<string> WriteAsync(IClusterApi api, CancellationToken cancel)
    {
        var profiles = new List<ProfileResource>();
        profiles.AddRange(await api.ListAsync<SeccompProfileResource>(cancel: cancel).ConfigureAwait(false));
        profiles.AddRange(await api.ListAsync<AppArmorProfileResource>(cancel: cancel).ConfigureAwait(false));
        var statuses = await api.ListAsync<ProfileNodeStatusResource>(cancel: cancel).ConfigureAwait(false);
        var pods = await api.ListAsync<V1Pod>(labelSelector: $"{RuntimeNames.BoundLabel}=true", cancel: cancel).ConfigureAwait(false);

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"PROFILES ({profiles.Count})");
        Table(text, ["TYPE", "NAME", "PHASE", "NODES", "SOURCE", "MESSAGE"], profiles
            .OrderBy(p => p.Type).ThenBy(p => p.Metadata.Name, StringComparer.Ordinal)
            .Select(p => new[]
            {
                p.Type.ToString(), p.Metadata.Name, p.Status?.Phase ?? ProfilePhase.Pending,
                $"{p.Status?.InstalledNodes ?? 0}/{p.Status?.AgentNodes ?? 0}",
                p.Spec.Source is { } s ? $"{s.Registry}/{s.Repository}@{s.ImageDigest}" : "(resource)",
                p.Status?.Message ?? "",
            }));
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"NODES ({statuses.Select(s => s.Spec.NodeName).Distinct().Count()})");
        Table(text, ["NODE", "TYPE", "PROFILE", "STATE", "MESSAGE"], statuses
            .OrderBy(s => s.Spec.NodeName, StringComparer.Ordinal).ThenBy(s => s.Spec.ProfileType).ThenBy(s => s.Spec.ProfileName, StringComparer.Ordinal)
            .Select(s => new[] { s.Spec.NodeName, s.Spec.ProfileType.ToString(), s.Spec.ProfileName, s.Status.State, s.Status.Message ?? "" }));
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"BOUND PODS ({pods.Count})");
        Table(text, ["POD", "CONTAINER", "SECCOMP", "APPARMOR", "GATED"], pods
            .OrderBy(p => p.Metadata.NamespaceProperty, StringComparer.Ordinal).ThenBy(p => p.Metadata.Name, StringComparer.Ordinal)
            .SelectMany(p => BindingRecord.Read(p.Metadata.Annotations).Select(b => new[]
            {
                $"{p.Metadata.NamespaceProperty}/{p.Metadata.Name}", b.Container, b.Seccomp?.ResourceName ?? "-", b.AppArmor?.ResourceName ?? "-",
                p.Spec.SchedulingGates?.Any(g => g.Name == RuntimeNames.SchedulingGate) == true ? "yes" : "no",
            })));
        return text.ToString();
    }

    private static void Table(StringBuilder text, string[] header, IEnumerable<string[]> rows)
    {
        var all = new List<string[]> { header };
        all.AddRange(rows);
        var widths = header.Select((_, i) => all.Max(r => r[i].Length)).ToArray();
        foreach (var row in all)
            text.AppendLine(string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
    }
}
