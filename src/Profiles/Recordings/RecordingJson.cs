using System.Globalization;
using Portcullis.Profiles.Collections;
using Portcullis.Profiles.Diagnostics;
using Portcullis.Profiles.Documents;
using Portcullis.Profiles.Loading;
using Portcullis.Profiles.Seccomp;

namespace Portcullis.Profiles.Recordings;

/// <summary>recording.json: the serialised <see cref="Recording"/> (format version 1).</summary>
public static class RecordingJson
{
    public const int FormatVersion = 1;

    public static byte[] Write(Recording r)
    {
        var root = new List<DocEntry>
        {
            new("version", DocScalar.Number(FormatVersion)),
            new("command", Strings(r.Command)),
        };
        if (r.ExitCode is { } code)
            root.Add(new("exitCode", DocScalar.Number(code)));
        root.Add(new("syscalls", List(r.Syscalls.Select(s => Map(
            ("architecture", DocScalar.String(SeccompArchitectures.Wire.Name(s.Architecture))),
            ("number", DocScalar.Number(s.Number)),
            ("name", s.Name is null ? new DocScalar(ScalarKind.Null, "null") : DocScalar.String(s.Name)),
            ("count", DocScalar.Number(s.Count)),
            ("seenBy", SeenBy(s.SeenBy)))))));
        root.Add(new("files", List(r.Files.Select(f => Map(
            ("path", DocScalar.String(f.Path)),
            ("access", Strings(AccessNames(f.Access))),
            ("seenBy", SeenBy(f.SeenBy)))))));
        root.Add(new("executables", Strings(r.Executables)));
        root.Add(new("sockets", List(r.Sockets.Select(s =>
        {
            var entries = new List<(string, DocNode)>
            {
                ("family", DocScalar.String(s.FamilyName)),
                ("type", DocScalar.String(s.TypeName)),
                ("familyNumber", DocScalar.Number(s.Family)),
                ("typeNumber", DocScalar.Number(s.Type)),
                ("protocol", DocScalar.Number(s.Protocol)),
            };
            if (s.BoundPort is { } port)
                entries.Add(("boundPort", DocScalar.Number(port)));
            if (s.UnixPath is { } path)
                entries.Add(("unixPath", DocScalar.String(path)));
            entries.Add(("seenBy", SeenBy(s.SeenBy)));
            return Map([.. entries]);
        }))));
        root.Add(new("capabilities", Strings(r.Capabilities)));
        return DocJsonWriter.Write(new DocMap(root.ToValueList()));
    }

    public static Recording Read(string path)
    {
        var input = InputReader.Read(path);
        var r = new FieldReader();
        var map = r.Map(JsonDocReader.Read(input.Utf8, input.DisplayName), "(document)");
        var version = r.UInt32(r.Required(map, "version", "version"), "version");
        if (version != FormatVersion)
            throw ProfileException.At(DiagnosticId.UnknownValue, $"recording format version {version} is not supported (expected {FormatVersion})", map.Origin, "version");

        return new Recording
        {
            Command = Items(map, "command", r).Select((n, i) => r.String(n, $"command[{i}]")).ToList(),
            ExitCode = map.Get("exitCode") is DocScalar { Kind: ScalarKind.Number } e ? int.Parse(e.Text, CultureInfo.InvariantCulture) : null,
            Syscalls = Items(map, "syscalls", r).Select((n, i) =>
            {
                var f = $"syscalls[{i}]";
                var s = r.Map(n, f);
                return new SyscallObservation(
                    r.Enum(r.Required(s, "architecture", f + ".architecture"), f + ".architecture", SeccompArchitectures.Wire),
                    (int)r.UInt32(r.Required(s, "number", f + ".number"), f + ".number"),
                    s.Get("name") is { } name && !r.IsNull(name) ? r.String(name, f + ".name") : null,
                    (long)r.UInt64(r.Required(s, "count", f + ".count"), f + ".count"),
                    ReadSeenBy(s, f, r));
            }).ToList(),
            Files = Items(map, "files", r).Select((n, i) =>
            {
                var f = $"files[{i}]";
                var m = r.Map(n, f);
                var access = Items(m, "access", r).Aggregate(FileAccessKind.None, (a, x) =>
                    a | (Enum.TryParse<FileAccessKind>(r.String(x, f + ".access"), ignoreCase: true, out var k) ? k
                        : throw ProfileException.At(DiagnosticId.UnknownValue, $"unknown access kind '{((DocScalar)x).Text}'", x.Origin, f + ".access")));
                return new FileObservation(r.String(r.Required(m, "path", f + ".path"), f + ".path"), access, ReadSeenBy(m, f, r));
            }).ToList(),
            Executables = Items(map, "executables", r).Select((n, i) => r.String(n, $"executables[{i}]")).ToList(),
            Sockets = Items(map, "sockets", r).Select((n, i) =>
            {
                var f = $"sockets[{i}]";
                var m = r.Map(n, f);
                return new SocketObservation(
                    (int)r.UInt32(r.Required(m, "familyNumber", f + ".familyNumber"), f + ".familyNumber"),
                    (int)r.UInt32(r.Required(m, "typeNumber", f + ".typeNumber"), f + ".typeNumber"),
                    (int)r.UInt32(r.Required(m, "protocol", f + ".protocol"), f + ".protocol"),
                    m.Get("boundPort") is { } p ? (int)r.UInt32(p, f + ".boundPort") : null,
                    m.Get("unixPath") is { } u ? r.String(u, f + ".unixPath") : null,
                    ReadSeenBy(m, f, r));
            }).ToList(),
            Capabilities = Items(map, "capabilities", r).Select((n, i) => r.String(n, $"capabilities[{i}]")).ToList(),
        };
    }

    private static ValueList<DocNode> Items(DocMap map, string key, FieldReader r) =>
        map.Get(key) is { } node ? r.List(node, key) : [];

    private static HashSet<Backend> ReadSeenBy(DocMap map, string field, FieldReader r) =>
        Items(map, "seenBy", r).Select(n => Enum.TryParse<Backend>(r.String(n, field + ".seenBy"), ignoreCase: true, out var b) ? b
            : throw ProfileException.At(DiagnosticId.UnknownValue, $"unknown backend '{((DocScalar)n).Text}' (ptrace or ebpf)", n.Origin, field + ".seenBy")).ToHashSet();

    public static IEnumerable<string> AccessNames(FileAccessKind access) =>
        Enum.GetValues<FileAccessKind>().Where(k => k != FileAccessKind.None && access.HasFlag(k)).Select(k => k.ToString().ToLowerInvariant());

    private static DocList SeenBy(IReadOnlySet<Backend> seenBy) => Strings(seenBy.Order().Select(b => b.ToString().ToLowerInvariant()));

    private static DocList Strings(IEnumerable<string> values) => new(values.Select(v => (DocNode)DocScalar.String(v)).ToValueList());

    private static DocList List(IEnumerable<DocNode> items) => new(items.ToValueList());

    private static DocMap Map(params (string Key, DocNode Value)[] entries) => new(entries.Select(e => new DocEntry(e.Key, e.Value)).ToValueList());
}
