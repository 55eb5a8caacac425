using Portcullis.Profiles.Collections;
using Portcullis.Profiles.Diagnostics;
using Portcullis.Profiles.Documents;

namespace Portcullis.Profiles.Seccomp;

/// <summary>Maps a seccomp object (runtime-spec linux.seccomp, Docker's format, or an SPO spec) onto <see cref="SeccompProfile"/>.</summary>
public static class SeccompReader
{
    private static readonly HashSet<string> ProfileFields = ["defaultAction", "defaultErrnoRet", "architectures", "archMap", "flags", "listenerPath", "listenerMetadata", "syscalls"];
    private static readonly HashSet<string> RuleFields = ["names", "name", "action", "errnoRet", "args", "comment", "includes", "excludes"];
    private static readonly HashSet<string> ArgFields = ["index", "value", "valueTwo", "op"];
    private static readonly HashSet<string> FilterFields = ["caps", "arches", "minKernel"];
    private static readonly HashSet<string> ArchMapFields = ["architecture", "subArchitectures"];

    /// <param name="ignore">keys handled by the caller (an SPO spec's baseProfileName and state).</param>
    public static SeccompProfile Read(DocNode node, FieldReader r, string field = "", IReadOnlySet<string>? ignore = null)
    {
        var map = r.Map(node, field.Length == 0 ? "(document)" : field);
        var known = ignore is null ? ProfileFields : [.. ProfileFields, .. ignore];
        var prefix = field.Length == 0 ? "" : field + ".";

        var profile = new SeccompProfile
        {
            DefaultAction = r.Enum(r.Required(map, "defaultAction", prefix + "defaultAction"), prefix + "defaultAction", SeccompActions.Wire),
            Origin = map.Origin,
            FieldOrigins = new FieldOrigins(map.Entries.ToDictionary(e => e.Key, e => e.KeyOrigin, StringComparer.Ordinal)),
            Extra = r.Unknown(map, known, field),
        };
        foreach (var entry in map.Entries)
        {
            var f = prefix + entry.Key;
            var v = entry.Value;
            profile = entry.Key switch
            {
                "defaultErrnoRet" => profile with { DefaultErrnoRet = r.IsNull(v) ? null : r.UInt32(v, f) },
                "architectures" => profile with { Architectures = r.List(v, f).Select((a, i) => r.Enum(a, $"{f}[{i}]", SeccompArchitectures.Wire)).ToValueList() },
                "archMap" => profile with { ArchMap = r.List(v, f).Select((m, i) => ReadArchMap(m, r, $"{f}[{i}]")).ToValueList() },
                "flags" => profile with { Flags = r.List(v, f).Select((a, i) => r.Enum(a, $"{f}[{i}]", SeccompFlags.Wire)).ToValueList() },
                "listenerPath" => profile with { ListenerPath = r.IsNull(v) ? null : r.String(v, f) },
                "listenerMetadata" => profile with { ListenerMetadata = r.IsNull(v) ? null : r.String(v, f) },
                "syscalls" => profile with { Syscalls = r.List(v, f).Select((s, i) => ReadRule(s, r, $"{f}[{i}]")).ToValueList() },
                _ => profile,
            };
        }
        return profile;
    }

    private static SeccompRule ReadRule(DocNode node, FieldReader r, string field)
    {
        var map = r.Map(node, field);
        var names = new List<string>();
        var nameOrigins = new List<Origin>();
        // Docker's format has a deprecated singular "name" beside "names".
        if (map.Get("name") is { } single && !r.IsNull(single))
        {
            names.Add(r.String(single, field + ".name"));
            nameOrigins.Add(single.Origin);
        }
        if (map.Get("names") is { } list)
        {
            foreach (var (n, i) in r.List(list, field + ".names").Select((n, i) => (n, i)))
            {
                names.Add(r.String(n, $"{field}.names[{i}]"));
                nameOrigins.Add(n.Origin);
            }
        }
        else if (names.Count == 0)
        {
            r.Required(map, "names", field + ".names");
        }

        var rule = new SeccompRule
        {
            Names = names.ToValueList(),
            NameOrigins = new OriginList(nameOrigins),
            Action = r.Enum(r.Required(map, "action", field + ".action"), field + ".action", SeccompActions.Wire),
            Origin = map.Origin,
            Extra = r.Unknown(map, RuleFields, field),
        };
        foreach (var entry in map.Entries)
        {
            var f = $"{field}.{entry.Key}";
            var v = entry.Value;
            rule = entry.Key switch
            {
                "errnoRet" => rule with { ErrnoRet = r.IsNull(v) ? null : r.UInt32(v, f) },
                "args" => rule with { Args = r.List(v, f).Select((a, i) => ReadArg(a, r, $"{f}[{i}]")).ToValueList() },
                "comment" => rule with { Comment = r.IsNull(v) ? null : r.String(v, f) },
                "includes" => rule with { Includes = r.IsNull(v) ? RuleFilter.Empty : ReadFilter(v, r, f) },
                "excludes" => rule with { Excludes = r.IsNull(v) ? RuleFilter.Empty : ReadFilter(v, r, f) },
                _ => rule,
            };
        }
        return rule;
    }

    private static SeccompArgCondition ReadArg(DocNode node, FieldReader r, string field)
    {
        var map = r.Map(node, field);
        r.Unknown(map, ArgFields, field);
        return new SeccompArgCondition(
            r.UInt32(r.Required(map, "index", field + ".index"), field + ".index"),
            map.Get("value") is { } v ? r.UInt64(v, field + ".value") : 0,
            map.Get("valueTwo") is { } v2 ? r.UInt64(v2, field + ".valueTwo") : 0,
            r.Enum(r.Required(map, "op", field + ".op"), field + ".op", SeccompOperators.Wire));
    }

    private static RuleFilter ReadFilter(DocNode node, FieldReader r, string field)
    {
        var map = r.Map(node, field);
        r.Unknown(map, FilterFields, field);
        return new RuleFilter(
            map.Get("caps") is { } caps ? r.List(caps, field + ".caps").Select((c, i) => r.String(c, $"{field}.caps[{i}]")).ToValueList() : [],
            map.Get("arches") is { } arches ? r.List(arches, field + ".arches").Select((a, i) => r.String(a, $"{field}.arches[{i}]")).ToValueList() : [],
            map.Get("minKernel") is { } k && !r.IsNull(k) ? r.String(k, field + ".minKernel") : null);
    }

    private static ArchMapEntry ReadArchMap(DocNode node, FieldReader r, string field)
    {
        var map = r.Map(node, field);
        r.Unknown(map, ArchMapFields, field);
        var subs = map.Get("subArchitectures") is { } s
            ? r.List(s, field + ".subArchitectures").Select((a, i) => r.Enum(a, $"{field}.subArchitectures[{i}]", SeccompArchitectures.Wire)).ToValueList()
            : [];
        return new ArchMapEntry(r.Enum(r.Required(map, "architecture", field + ".architecture"), field + ".architecture", SeccompArchitectures.Wire), subs);
    }
}
