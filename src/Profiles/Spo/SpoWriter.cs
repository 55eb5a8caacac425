using Portcullis.Profiles.Collections;
using Portcullis.Profiles.Diagnostics;
using Portcullis.Profiles.Documents;
using Portcullis.Profiles.Seccomp;

namespace Portcullis.Profiles.Spo;

/// <summary>
/// Writes SPO custom resources. The SeccompProfile CRD has no defaultErrnoRet, archMap, comment or
/// includes/excludes: what cannot be expressed is reported as PCL4001, never silently dropped.
/// </summary>
public static class SpoWriter
{
    public static DocMap ToDoc(SpoSeccompProfile cr, DiagnosticBag diagnostics)
    {
        var p = cr.Spec;
        if (p.DefaultErrnoRet is { } errno && errno != 1)
            diagnostics.Add(Diagnostic.Warning(DiagnosticId.LossyConversion, $"defaultErrnoRet {errno} cannot be expressed in a SeccompProfile resource; the runtime will return EPERM (1)", p.Origin, "defaultErrnoRet"));
        if (p.UsesDockerExtensions)
            diagnostics.Add(Diagnostic.Warning(DiagnosticId.LossyConversion, "Docker's archMap/includes/excludes cannot be expressed in a SeccompProfile resource; resolve the profile for a target first", p.Origin));
        if (p.Syscalls.Any(r => !string.IsNullOrEmpty(r.Comment)))
            diagnostics.Add(Diagnostic.Info(DiagnosticId.LossyConversion, "rule comments have no field in a SeccompProfile resource and were left out", p.Origin));

        var spec = SeccompWriter.ToDoc(p with { DefaultErrnoRet = null }, includeDockerFields: false);
        var entries = spec.Entries.ToList();
        if (cr.BaseProfileName is not null)
            entries.Add(new DocEntry("baseProfileName", DocScalar.String(cr.BaseProfileName)));
        if (cr.State is not null)
            entries.Add(new DocEntry("state", DocScalar.String(cr.State)));
        entries.AddRange(cr.SpecExtra);
        return Envelope(cr.Meta, new DocMap(entries.ToValueList()));
    }

    public static DocMap ToDoc(SpoAppArmorProfile cr)
    {
        var a = cr.Abstract;
        var abs = new List<DocEntry>();
        if (a.HasExecutable)
            abs.Add(new("executable", Section(("allowedExecutables", a.AllowedExecutables), ("allowedLibraries", a.AllowedLibraries))));
        if (a.HasFilesystem)
            abs.Add(new("filesystem", Section(("readOnlyPaths", a.ReadOnlyPaths), ("writeOnlyPaths", a.WriteOnlyPaths), ("readWritePaths", a.ReadWritePaths))));
        if (a.HasNetwork)
        {
            var net = new List<DocEntry>();
            if (a.AllowRaw is { } raw)
                net.Add(new("allowRaw", DocScalar.Boolean(raw)));
            var protocols = new List<DocEntry>();
            if (a.AllowTcp is { } tcp)
                protocols.Add(new("allowTcp", DocScalar.Boolean(tcp)));
            if (a.AllowUdp is { } udp)
                protocols.Add(new("allowUdp", DocScalar.Boolean(udp)));
            if (protocols.Count > 0)
                net.Add(new("allowedProtocols", new DocMap(protocols.ToValueList())));
            abs.Add(new("network", new DocMap(net.ToValueList())));
        }
        if (a.AllowedCapabilities is not null)
            abs.Add(new("capability", Section(("allowedCapabilities", a.AllowedCapabilities))));

        var spec = new List<DocEntry> { new("abstract", new DocMap(abs.ToValueList())) };
        if (cr.Mode is not null)
            spec.Add(new("mode", DocScalar.String(cr.Mode)));
        if (cr.State is not null)
            spec.Add(new("state", DocScalar.String(cr.State)));
        spec.AddRange(cr.SpecExtra);
        return Envelope(cr.Meta, new DocMap(spec.ToValueList()));
    }

    private static DocMap Envelope(SpoMetadata meta, DocMap spec)
    {
        var entries = new List<DocEntry>
        {
            new("apiVersion", DocScalar.String(meta.ApiVersion)),
            new("kind", DocScalar.String(meta.Kind)),
            new("metadata", meta.Metadata),
            new("spec", spec),
        };
        entries.AddRange(meta.Extra);
        return new DocMap(entries.ToValueList());
    }

    private static DocMap Section(params (string Key, ValueList<string>? Values)[] lists) =>
        new(lists.Where(l => l.Values is not null)
            .Select(l => new DocEntry(l.Key, new DocList(l.Values!.Select(v => (DocNode)DocScalar.String(v)).ToValueList())))
            .ToValueList());
}
