using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Portcullis.Profiles.Documents;

/// <summary>Writes a <see cref="DocNode"/> tree as JSON: two-space indent, LF line ends, a final newline.</summary>
public static class DocJsonWriter
{
    public static byte[] Write(DocNode node, bool indented = true)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions
        {
            Indented = indented,
            IndentSize = 2,
            NewLine = "\n",
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            SkipValidation = false,
        }))
        {
            WriteNode(writer, node);
        }
        if (indented)
            buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private static void WriteNode(Utf8JsonWriter writer, DocNode node)
    {
        switch (node)
        {
            case DocMap map:
                writer.WriteStartObject();
                foreach (var entry in map.Entries)
                {
                    writer.WritePropertyName(entry.Key);
                    WriteNode(writer, entry.Value);
                }
                writer.WriteEndObject();
                break;
            case DocList list:
                writer.WriteStartArray();
                foreach (var item in list.Items)
                    WriteNode(writer, item);
                writer.WriteEndArray();
                break;
            case DocScalar { Kind: ScalarKind.Null }:
                writer.WriteNullValue();
                break;
            case DocScalar { Kind: ScalarKind.Boolean } b:
                writer.WriteBooleanValue(b.Text is "true" or "True" or "TRUE");
                break;
            case DocScalar { Kind: ScalarKind.Number } n:
                WriteNumber(writer, n.Text);
                break;
            case DocScalar s:
                writer.WriteStringValue(s.Text);
                break;
        }
    }

    // YAML spells numbers JSON cannot (0x1F, 0o17, .inf): convert what has a JSON form, keep the rest as text.
    private static void WriteNumber(Utf8JsonWriter writer, string text)
    {
        if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var u))
            writer.WriteNumberValue(u);
        else if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
            writer.WriteNumberValue(l);
        else if (text.StartsWith("0x", StringComparison.Ordinal) && ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
            writer.WriteNumberValue(hex);
        else if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
            writer.WriteRawValue(text.TrimStart('+'), skipInputValidation: false);
        else
            writer.WriteStringValue(text);
    }
}
