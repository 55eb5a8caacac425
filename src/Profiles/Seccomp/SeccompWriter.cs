using Portcullis.Profiles.Collections;
using Portcullis.Profiles.Documents;

namespace Portcullis.Profiles.Seccomp;

/// <summary>Turns a <see cref="SeccompProfile"/> into a document tree in the field order of the runtime spec; extras follow the known fields.</summary>
public static class SeccompWriter
{
    public static DocMap ToDoc(SeccompProfile p, bool includeDockerFields = true)
    {
        var e = new List<DocEntry> { new("defaultAction", DocScalar.String(SeccompActions.Wire.Name(p.DefaultAction))) };
        if (p.DefaultErrnoRet is { } errno)
            e.Add(new("defaultErrnoRet", DocScalar.Number(errno)));
        if (p.Architectures.Count > 0)
            e.Add(new("architectures", Strings(p.Architectures.Select(SeccompArchitectures.Wire.Name))));
        if (includeDockerFields && p.ArchMap.Count > 0)
            e.Add(new("archMap", new DocList(p.ArchMap.Select(ArchMap).ToValueList())));
        if (p.Flags.Count > 0)
            e.Add(new("flags", Strings(p.Flags.Select(SeccompFlags.Wire.Name))));
        if (p.ListenerPath is not null)
            e.Add(new("listenerPath", DocScalar.String(p.ListenerPath)));
        if (p.ListenerMetadata is not null)
            e.Add(new("listenerMetadata", DocScalar.String(p.ListenerMetadata)));
        if (p.Syscalls.Count > 0)
            e.Add(new("syscalls", new DocList(p.Syscalls.Select(r => (DocNode)Rule(r, includeDockerFields)).ToValueList())));
        e.AddRange(p.Extra);
        return new DocMap(e.ToValueList());
    }

    private static DocMap Rule(SeccompRule r, bool includeDockerFields)
    {
        var e = new List<DocEntry>
        {
            new("names", Strings(r.Names)),
            new("action", DocScalar.String(SeccompActions.Wire.Name(r.Action))),
        };
        if (r.ErrnoRet is { } errno)
            e.Add(new("errnoRet", DocScalar.Number(errno)));
        if (r.Args.Count > 0)
            e.Add(new("args", new DocList(r.Args.Select(a => (DocNode)Arg(a)).ToValueList())));
        if (includeDockerFields)
        {
            if (r.Comment is not null)
                e.Add(new("comment", DocScalar.String(r.Comment)));
            if (!r.Includes.IsEmpty)
                e.Add(new("includes", Filter(r.Includes)));
            if (!r.Excludes.IsEmpty)
                e.Add(new("excludes", Filter(r.Excludes)));
        }
        e.AddRange(r.Extra);
        return new DocMap(e.ToValueList());
    }

    private static DocMap Arg(SeccompArgCondition a) => new(new DocEntry[]
    {
        new("index", DocScalar.Number(a.Index)),
        new("value", DocScalar.Number(a.Value)),
        new("valueTwo", DocScalar.Number(a.ValueTwo)),
        new("op", DocScalar.String(SeccompOperators.Wire.Name(a.Operator))),
    }.ToValueList());

    private static DocMap Filter(RuleFilter f)
    {
        var e = new List<DocEntry>();
        if (f.Caps.Count > 0)
            e.Add(new("caps", Strings(f.Caps)));
        if (f.Arches.Count > 0)
            e.Add(new("arches", Strings(f.Arches)));
        if (f.MinKernel is not null)
            e.Add(new("minKernel", DocScalar.String(f.MinKernel)));
        return new DocMap(e.ToValueList());
    }

    private static DocNode ArchMap(ArchMapEntry m) => new DocMap(new DocEntry[]
    {
        new("architecture", DocScalar.String(SeccompArchitectures.Wire.Name(m.Architecture))),
        new("subArchitectures", Strings(m.SubArchitectures.Select(SeccompArchitectures.Wire.Name))),
    }.ToValueList());

    private static DocList Strings(IEnumerable<string> values) => new(values.Select(v => (DocNode)DocScalar.String(v)).ToValueList());
}
