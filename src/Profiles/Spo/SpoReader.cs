using Portcullis.Profiles.Collections;
using Portcullis.Profiles.Diagnostics;
using Portcullis.Profiles.Documents;
using Portcullis.Profiles.Seccomp;

namespace Portcullis.Profiles.Spo;

/// <summary>Reads SPO custom resources (SeccompProfile v1/v1beta1, AppArmorProfile v1/v1alpha1) from a document tree.</summary>
public static class SpoReader
{
    private static readonly HashSet<string> SeccompSpecOnly = ["baseProfileName", "state"];
    private static readonly HashSet<string> AppArmorSpecFields = ["abstract", "mode", "state"];
    private static readonly HashSet<string> AbstractFields = ["executable", "filesystem", "network", "capability"];

    /// <summary>True when the document is a Kubernetes object (has apiVersion and kind).</summary>
    public static bool IsKubernetesObject(DocNode node) => node is DocMap m && m.Get("apiVersion") is not null && m.Get("kind") is not null;

    public static SpoMetadata ReadMetadata(DocMap map, FieldReader r, IReadOnlyList<string> versions)
    {
        var apiVersion = r.String(r.Required(map, "apiVersion", "apiVersion"), "apiVersion");
        var kind = r.String(r.Required(map, "kind", "kind"), "kind");
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var group = slash < 0 ? "" : apiVersion[..slash];
        var version = apiVersion[(slash + 1)..];
        if (group != SpoGroup.Name || !versions.Contains(version))
        {
            throw ProfileException.At(DiagnosticId.UnrecognizedDocument,
                $"apiVersion '{apiVersion}' is not supported for {kind} (expected {string.Join(" or ", versions.Select(SpoGroup.ApiVersion))})", map.Get("apiVersion")!.Origin, "apiVersion");
        }
        var metadata = r.Map(r.Required(map, "metadata", "metadata"), "metadata");
        var name = r.String(r.Required(metadata, "name", "metadata.name"), "metadata.name");
        var ns = metadata.Get("namespace") is { } n ? r.String(n, "metadata.namespace") : null;
        var extra = map.Entries.Where(e => e.Key is not ("apiVersion" or "kind" or "metadata" or "spec")).ToValueList();
        return new SpoMetadata(apiVersion, kind, name, ns, metadata, extra, map.Origin);
    }

    public static SpoSeccompProfile ReadSeccomp(DocMap map, FieldReader r)
    {
        var meta = ReadMetadata(map, r, SpoGroup.SeccompVersions);
        var spec = r.Map(r.Required(map, "spec", "spec"), "spec");
        var profile = SeccompReader.Read(spec, r, "spec", SeccompSpecOnly);
        return new SpoSeccompProfile(
            meta,
            profile,
            spec.Get("baseProfileName") is { } b && !r.IsNull(b) ? r.String(b, "spec.baseProfileName") : null,
            spec.Get("state") is { } s && !r.IsNull(s) ? r.String(s, "spec.state") : null,
            []);
    }

    public static SpoAppArmorProfile ReadAppArmor(DocMap map, FieldReader r)
    {
        var meta = ReadMetadata(map, r, SpoGroup.AppArmorVersions);
        var spec = map.Get("spec") is { } s ? r.Map(s, "spec") : new DocMap([]);
        var specExtra = r.Unknown(spec, AppArmorSpecFields, "spec");
        var abs = spec.Get("abstract") is { } a && !r.IsNull(a) ? ReadAbstract(r.Map(a, "spec.abstract"), r) : new AppArmorAbstract();
        var mode = spec.Get("mode") is { } m && !r.IsNull(m) ? r.String(m, "spec.mode") : null;
        if (mode is not null and not ("Enforce" or "Complain"))
            throw ProfileException.At(DiagnosticId.UnknownValue, $"unknown mode '{mode}' (expected Enforce or Complain)", spec.Get("mode")!.Origin, "spec.mode");
        var state = spec.Get("state") is { } st && !r.IsNull(st) ? r.String(st, "spec.state") : null;
        return new SpoAppArmorProfile(meta, abs, mode, state, specExtra);
    }

    private static AppArmorAbstract ReadAbstract(DocMap map, FieldReader r)
    {
        const string f = "spec.abstract";
        r.Unknown(map, AbstractFields, f);
        var exe = Section(map, "executable", r);
        var fs = Section(map, "filesystem", r);
        var net = Section(map, "network", r);
        var cap = Section(map, "capability", r);
        var protocols = net?.Get("allowedProtocols") is { } p && !r.IsNull(p) ? r.Map(p, f + ".network.allowedProtocols") : null;
        return new AppArmorAbstract
        {
            AllowedExecutables = Strings(exe, "allowedExecutables", f + ".executable", r),
            AllowedLibraries = Strings(exe, "allowedLibraries", f + ".executable", r),
            ReadOnlyPaths = Strings(fs, "readOnlyPaths", f + ".filesystem", r),
            WriteOnlyPaths = Strings(fs, "writeOnlyPaths", f + ".filesystem", r),
            ReadWritePaths = Strings(fs, "readWritePaths", f + ".filesystem", r),
            AllowedCapabilities = Strings(cap, "allowedCapabilities", f + ".capability", r),
            AllowRaw = Bool(net, "allowRaw", f + ".network", r),
            AllowTcp = Bool(protocols, "allowTcp", f + ".network.allowedProtocols", r),
            AllowUdp = Bool(protocols, "allowUdp", f + ".network.allowedProtocols", r),
        };
    }

    private static DocMap? Section(DocMap map, string key, FieldReader r) =>
        map.Get(key) is { } node && !r.IsNull(node) ? r.Map(node, $"spec.abstract.{key}") : null;

    private static ValueList<string>? Strings(DocMap? section, string key, string field, FieldReader r) =>
        section?.Get(key) is { } node
            ? r.List(node, $"{field}.{key}").Select((n, i) => r.String(n, $"{field}.{key}[{i}]")).ToValueList()
            : null;

    private static bool? Bool(DocMap? section, string key, string field, FieldReader r) =>
        section?.Get(key) is { } node && !r.IsNull(node) ? r.Boolean(node, $"{field}.{key}") : null;
}
