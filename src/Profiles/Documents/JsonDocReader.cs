using System.Text.Json;
using Portcullis.Profiles.Collections;
using Portcullis.Profiles.Diagnostics;

namespace Portcullis.Profiles.Documents;

/// <summary>Strict JSON (RFC 8259: no comments, no trailing commas, unique keys) into a <see cref="DocNode"/> tree.</summary>
public static class JsonDocReader
{
    public static DocNode Read(byte[] utf8, string file)
    {
        var lines = new LineIndex(utf8, file);
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = DocLimits.MaxDepth });
        try
        {
            if (!reader.Read())
                throw ProfileException.At(DiagnosticId.FileEmpty, "the file holds no JSON value", new Origin(file, 1, 1));
            var root = ReadValue(ref reader, lines);
            if (reader.Read())
                throw ProfileException.At(DiagnosticId.MalformedJson, "unexpected content after the end of the JSON value", lines.At(reader.TokenStartIndex));
            return root;
        }
        catch (JsonException e)
        {
            var origin = new Origin(file, (int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1);
            throw ProfileException.At(DiagnosticId.MalformedJson, "malformed JSON: " + FirstSentence(e.Message), origin);
        }
    }

    private static DocNode ReadValue(ref Utf8JsonReader reader, LineIndex lines)
    {
        var origin = lines.At(reader.TokenStartIndex);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var entries = new List<DocEntry>();
                var seen = new HashSet<string>(StringComparer.Ordinal);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var keyOrigin = lines.At(reader.TokenStartIndex);
                    var key = reader.GetString()!;
                    if (!seen.Add(key))
                        throw ProfileException.At(DiagnosticId.DuplicateKey, $"duplicate key '{key}'", keyOrigin);
                    reader.Read();
                    entries.Add(new DocEntry(key, ReadValue(ref reader, lines), keyOrigin));
                }
                return new DocMap(entries.ToValueList(), origin);
            case JsonTokenType.StartArray:
                var items = new List<DocNode>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    items.Add(ReadValue(ref reader, lines));
                return new DocList(items.ToValueList(), origin);
            case JsonTokenType.String:
                return new DocScalar(ScalarKind.String, reader.GetString()!, origin);
            case JsonTokenType.Number:
                return new DocScalar(ScalarKind.Number, System.Text.Encoding.UTF8.GetString(reader.ValueSpan), origin);
            case JsonTokenType.True:
                return new DocScalar(ScalarKind.Boolean, "true", origin);
            case JsonTokenType.False:
                return new DocScalar(ScalarKind.Boolean, "false", origin);
            case JsonTokenType.Null:
                return new DocScalar(ScalarKind.Null, "null", origin);
            default:
                throw ProfileException.At(DiagnosticId.MalformedJson, $"unexpected JSON token {reader.TokenType}", origin);
        }
    }

    // System.Text.Json appends "Path: $ | LineNumber: 0 | BytePositionInLine: 3." which we already render as file:line:col.
    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        var line = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (line > 0 && (cut < 0 || line < cut))
            cut = line;
        var text = cut > 0 ? message[..cut] : message;
        return text.TrimEnd('.', ' ');
    }
}
