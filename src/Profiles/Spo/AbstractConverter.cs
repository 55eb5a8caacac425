using Portcullis.Profiles.AppArmor;
using Portcullis.Profiles.Collections;
using Portcullis.Profiles.Diagnostics;

namespace Portcullis.Profiles.Spo;

/// <summary>
/// SPO's abstract AppArmor form to policy rules and back. Forward: read-only paths → <c>r</c>, write-only
/// → <c>w</c>, read-write → <c>rw</c>, executables → <c>rix</c>, libraries → <c>mr</c>, TCP/UDP → inet and
/// inet6 stream/dgram, raw → <c>network raw</c>, capabilities → one capability rule. Backward, rules the
/// abstract form cannot hold (deny, owner, signal, ptrace, unix, other permissions) are reported as PCL4001.
/// </summary>
public static class AbstractConverter
{
    public static AppArmorProfile ToPolicy(SpoAppArmorProfile cr)
    {
        var a = cr.Abstract;
        var rules = new List<AppArmorRule>();
        foreach (var exe in a.AllowedExecutables ?? [])
            rules.Add(new FileRule(exe, FilePermissions.Parse("rix")));
        foreach (var lib in a.AllowedLibraries ?? [])
            rules.Add(new FileRule(lib, FilePermissions.Parse("mr")));
        foreach (var path in a.ReadOnlyPaths ?? [])
            rules.Add(new FileRule(path, FilePermissions.Parse("r")));
        foreach (var path in a.WriteOnlyPaths ?? [])
            rules.Add(new FileRule(path, FilePermissions.Parse("w")));
        foreach (var path in a.ReadWritePaths ?? [])
            rules.Add(new FileRule(path, FilePermissions.Parse("rw")));
        if (a.AllowTcp == true)
            rules.AddRange([new NetworkRule("inet", "stream"), new NetworkRule("inet6", "stream")]);
        if (a.AllowUdp == true)
            rules.AddRange([new NetworkRule("inet", "dgram"), new NetworkRule("inet6", "dgram")]);
        if (a.AllowRaw == true)
            rules.Add(new NetworkRule(null, "raw"));
        if (a.AllowedCapabilities is { Count: > 0 } caps)
            rules.Add(new CapabilityRule(caps.Select(c => c.ToLowerInvariant().Replace("cap_", "", StringComparison.Ordinal)).ToValueList()));

        return new AppArmorProfile
        {
            Name = cr.Meta.Name,
            Flags = cr.Complain ? ["complain"] : [],
            Rules = rules.ToValueList(),
            Origin = cr.Meta.Origin,
        };
    }

    public static SpoAppArmorProfile ToAbstract(AppArmorProfile profile, DiagnosticBag diagnostics)
    {
        List<string> exes = [], libs = [], ro = [], wo = [], rw = [], caps = [];
        bool tcp = false, udp = false, raw = false, anyNetwork = false;
        foreach (var rule in profile.Rules)
        {
            var kept = !rule.Deny && rule switch
            {
                FileRule { Owner: false, ExecTarget: null } f => AddFile(f, exes, libs, ro, wo, rw),
                NetworkRule n => AddNetwork(n, ref tcp, ref udp, ref raw, ref anyNetwork),
                CapabilityRule { Capabilities.Count: > 0 } c => AddAll(caps, c.Capabilities),
                _ => false,
            };
            if (!kept)
                diagnostics.Add(Diagnostic.Warning(DiagnosticId.LossyConversion, $"'{rule.Render()}' has no equivalent in SPO's abstract AppArmor form and was left out", rule.Origin));
        }

        var abs = new AppArmorAbstract
        {
            AllowedExecutables = exes.Count > 0 || libs.Count > 0 ? exes.ToValueList() : null,
            AllowedLibraries = exes.Count > 0 || libs.Count > 0 ? libs.ToValueList() : null,
            ReadOnlyPaths = ro.ToValueList(),
            WriteOnlyPaths = wo.ToValueList(),
            ReadWritePaths = rw.ToValueList(),
            AllowedCapabilities = caps.Count > 0 ? caps.ToValueList() : null,
            AllowRaw = anyNetwork ? raw : null,
            AllowTcp = anyNetwork ? tcp : null,
            AllowUdp = anyNetwork ? udp : null,
        };
        var meta = SpoMetadata.New(SpoGroup.AppArmorKind, KubernetesName.From(profile.Name));
        return new SpoAppArmorProfile(meta, abs, profile.Complain ? "Complain" : "Enforce", null, []);
    }

    private static bool AddFile(FileRule f, List<string> exes, List<string> libs, List<string> ro, List<string> wo, List<string> rw)
    {
        var perms = f.Permissions.ToString();
        var target = perms switch
        {
            "r" => ro,
            "w" => wo,
            "rw" => rw,
            "rix" or "ix" => exes,
            "mr" => libs,
            _ => null,
        };
        target?.Add(f.Path);
        return target is not null;
    }

    private static bool AddNetwork(NetworkRule n, ref bool tcp, ref bool udp, ref bool raw, ref bool any)
    {
        any = true;
        switch (n.Family, n.Type)
        {
            case ("inet" or "inet6", "stream"):
                tcp = true;
                return true;
            case ("inet" or "inet6", "dgram"):
                udp = true;
                return true;
            case (null or "inet" or "inet6", "raw"):
                raw = true;
                return true;
            default:
                return false;
        }
    }

    private static bool AddAll(List<string> into, ValueList<string> items)
    {
        into.AddRange(items);
        return true;
    }
}
