using System.Text.RegularExpressions;
using Portcullis.Profiles.Collections;
using Portcullis.Profiles.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Portcullis.Profiles.Documents;

/// <summary>
/// YAML (one or more documents) into <see cref="DocNode"/> trees. Plain scalars are typed by the YAML 1.2
/// core schema, as Kubernetes reads them. Aliases are shared, not copied, and the expanded size is
/// bounded so that an alias bomb is refused instead of exhausting memory.
/// </summary>
public static partial class YamlDocReader
{
    public static IReadOnlyList<DocNode> ReadAll(string text, string file)
    {
        var parser = new Parser(new StringReader(text));
        var documents = new List<DocNode>();
        try
        {
            parser.Consume<StreamStart>();
            while (parser.TryConsume<DocumentStart>(out var start))
            {
                var state = new ReadState(file);
                var root = parser.Accept<DocumentEnd>(out _) ? new DocScalar(ScalarKind.Null, "", At(file, start.Start)) : ReadNode(parser, state, 0);
                parser.Consume<DocumentEnd>();
                documents.Add(root);
            }
            parser.Consume<StreamEnd>();
        }
        catch (YamlException e)
        {
            throw ProfileException.At(DiagnosticId.MalformedYaml, "malformed YAML: " + Clean(e.Message), At(file, e.Start));
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner fails this way on some malformed input instead of raising YamlException.
            throw ProfileException.At(DiagnosticId.MalformedYaml, "malformed YAML", parser.Current is { } current ? At(file, current.Start) : new Origin(file, 1, 1));
        }
        return documents;
    }

    private sealed class ReadState(string file)
    {
        public string File { get; } = file;
        public Dictionary<string, (DocNode Node, long Size)> Anchors { get; } = new(StringComparer.Ordinal);
        public long Expanded { get; set; }
    }

    private static DocNode ReadNode(IParser parser, ReadState state, int depth)
    {
        if (depth > DocLimits.MaxDepth)
            throw ProfileException.At(DiagnosticId.DocumentTooComplex, $"nesting deeper than {DocLimits.MaxDepth} levels", At(state.File, parser.Current!.Start));

        var before = state.Expanded;
        DocNode node;
        string? anchor = null;
        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            if (!state.Anchors.TryGetValue(alias.Value.Value, out var target))
                throw ProfileException.At(DiagnosticId.MalformedYaml, $"alias '*{alias.Value}' names no anchor", At(state.File, alias.Start));
            Count(state, target.Size, alias.Start);
            return target.Node;
        }
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            anchor = scalar.Anchor.IsEmpty ? null : scalar.Anchor.Value;
            node = new DocScalar(Classify(scalar), scalar.Value, At(state.File, scalar.Start));
            Count(state, 1, scalar.Start);
        }
        else if (parser.TryConsume<SequenceStart>(out var seq))
        {
            anchor = seq.Anchor.IsEmpty ? null : seq.Anchor.Value;
            Count(state, 1, seq.Start);
            var items = new List<DocNode>();
            while (!parser.TryConsume<SequenceEnd>(out _))
                items.Add(ReadNode(parser, state, depth + 1));
            node = new DocList(items.ToValueList(), At(state.File, seq.Start));
        }
        else if (parser.TryConsume<MappingStart>(out var map))
        {
            anchor = map.Anchor.IsEmpty ? null : map.Anchor.Value;
            Count(state, 1, map.Start);
            var entries = new List<DocEntry>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var keyStart = parser.Current!.Start;
                var key = ReadNode(parser, state, depth + 1);
                if (key is not DocScalar { Kind: not ScalarKind.Null } keyScalar)
                    throw ProfileException.At(DiagnosticId.WrongType, "mapping keys must be plain strings", At(state.File, keyStart));
                if (!seen.Add(keyScalar.Text))
                    throw ProfileException.At(DiagnosticId.DuplicateKey, $"duplicate key '{keyScalar.Text}'", keyScalar.Origin);
                entries.Add(new DocEntry(keyScalar.Text, ReadNode(parser, state, depth + 1), keyScalar.Origin));
            }
            node = new DocMap(entries.ToValueList(), At(state.File, map.Start));
        }
        else
        {
            throw ProfileException.At(DiagnosticId.MalformedYaml, "unexpected YAML event " + parser.Current?.GetType().Name, At(state.File, parser.Current!.Start));
        }

        if (anchor is not null)
            state.Anchors[anchor] = (node, state.Expanded - before);
        return node;
    }

    private static void Count(ReadState state, long nodes, Mark where)
    {
        state.Expanded += nodes;
        if (state.Expanded > DocLimits.MaxExpandedNodes)
            throw ProfileException.At(DiagnosticId.DocumentTooComplex, $"the document expands to more than {DocLimits.MaxExpandedNodes} nodes (alias bomb?)", At(state.File, where));
    }

    private static ScalarKind Classify(Scalar scalar)
    {
        var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
        if (tag is not null)
        {
            return tag switch
            {
                "tag:yaml.org,2002:int" or "tag:yaml.org,2002:float" => ScalarKind.Number,
                "tag:yaml.org,2002:bool" => ScalarKind.Boolean,
                "tag:yaml.org,2002:null" => ScalarKind.Null,
                _ => ScalarKind.String,
            };
        }
        if (scalar.Style != ScalarStyle.Plain)
            return ScalarKind.String;
        return ClassifyPlain(scalar.Value);
    }

    /// <summary>The YAML 1.2 core schema's resolution of an untagged plain scalar.</summary>
    public static ScalarKind ClassifyPlain(string value)
    {
        if (value is "" or "~" or "null" or "Null" or "NULL")
            return ScalarKind.Null;
        if (value is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
            return ScalarKind.Boolean;
        return CoreNumber().IsMatch(value) ? ScalarKind.Number : ScalarKind.String;
    }

    [GeneratedRegex(@"^([-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$")]
    private static partial Regex CoreNumber();

    private static Origin At(string file, Mark mark) => new(file, (int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column));

    // YamlDotNet prefixes messages with "(Line: 3, Col: 5, Idx: 20) - (Line: ...): "; the origin already says where.
    private static string Clean(string message)
    {
        var cut = message.LastIndexOf("): ", StringComparison.Ordinal);
        return (cut >= 0 ? message[(cut + 3)..] : message).TrimEnd('.', ' ');
    }
}
