using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Portcullis.Profiles.Documents;

/// <summary>Writes <see cref="DocNode"/> trees as a YAML stream (documents separated by ---), block style.</summary>
public static class DocYamlWriter
{
    public static string Write(IEnumerable<DocNode> documents)
    {
        using var text = new StringWriter { NewLine = "\n" };
        var emitter = new Emitter(text, new EmitterSettings(bestIndent: 2, bestWidth: int.MaxValue, isCanonical: false, maxSimpleKeyLength: 1024, indentSequences: false));
        emitter.Emit(new StreamStart());
        foreach (var document in documents)
        {
            emitter.Emit(new DocumentStart(null, null, isImplicit: false));
            Emit(emitter, document);
            emitter.Emit(new DocumentEnd(isImplicit: true));
        }
        emitter.Emit(new StreamEnd());
        return text.ToString();
    }

    private static void Emit(IEmitter emitter, DocNode node)
    {
        switch (node)
        {
            case DocMap map:
                emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, isImplicit: true, MappingStyle.Block));
                foreach (var entry in map.Entries)
                {
                    EmitString(emitter, entry.Key);
                    Emit(emitter, entry.Value);
                }
                emitter.Emit(new MappingEnd());
                break;
            case DocList list:
                emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, isImplicit: true, list.Items.Count == 0 ? SequenceStyle.Flow : SequenceStyle.Block));
                foreach (var item in list.Items)
                    Emit(emitter, item);
                emitter.Emit(new SequenceEnd());
                break;
            case DocScalar { Kind: ScalarKind.String } s:
                EmitString(emitter, s.Text);
                break;
            case DocScalar { Kind: ScalarKind.Null }:
                emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, "null", ScalarStyle.Plain, true, false));
                break;
            case DocScalar s:
                emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, s.Text, ScalarStyle.Plain, true, false));
                break;
        }
    }

    // A string that a reader would take for a number, boolean or null must be quoted to stay a string.
    private static void EmitString(IEmitter emitter, string text)
    {
        var style = YamlDocReader.ClassifyPlain(text) == ScalarKind.String ? ScalarStyle.Any : ScalarStyle.DoubleQuoted;
        emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, text, style, true, true));
    }
}
