using System.Globalization;
using Portcullis.Profiles.Collections;
using Portcullis.Profiles.Diagnostics;

namespace Portcullis.Profiles.Documents;

/// <summary>
/// Typed access to a <see cref="DocNode"/> tree for the format readers: a wrong type, a missing field or an
/// unknown enum value throws a <see cref="ProfileException"/> naming the field and its place. Unknown
/// fields are kept by the caller and reported once per name (with a count) as warnings.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "One reader object per read keeps the call sites uniform; some members need its state.")]
public sealed class FieldReader
{
    private readonly Dictionary<string, (int Count, Origin First)> _unknown = new(StringComparer.Ordinal);

    public DocMap Map(DocNode node, string field) =>
        node as DocMap ?? throw WrongType(node, field, "an object");

    public string String(DocNode node, string field) =>
        node is DocScalar { Kind: ScalarKind.String } s ? s.Text : throw WrongType(node, field, "a string");

    /// <summary>A list; an explicit null reads as an empty list, as Go's encoding/json does.</summary>
    public ValueList<DocNode> List(DocNode node, string field) => node switch
    {
        DocList list => list.Items,
        DocScalar { Kind: ScalarKind.Null } => [],
        _ => throw WrongType(node, field, "an array"),
    };

    public bool IsNull(DocNode node) => node is DocScalar { Kind: ScalarKind.Null };

    public bool Boolean(DocNode node, string field) =>
        node is DocScalar { Kind: ScalarKind.Boolean } b ? b.Text is "true" or "True" or "TRUE" : throw WrongType(node, field, "true or false");

    public ulong UInt64(DocNode node, string field)
    {
        if (node is not DocScalar { Kind: ScalarKind.Number } n)
            throw WrongType(node, field, "a whole number");
        var text = n.Text.StartsWith('+') ? n.Text[1..] : n.Text;
        if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            return value;
        if (text.StartsWith("0x", StringComparison.Ordinal) && ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value))
            return value;
        if (text.StartsWith("0o", StringComparison.Ordinal) && TryOctal(text[2..], out value))
            return value;
        throw ProfileException.At(DiagnosticId.NumberOutOfRange, $"{n.Text} is not a whole number from 0 to {ulong.MaxValue}", node.Origin, field);
    }

    public uint UInt32(DocNode node, string field)
    {
        var value = UInt64(node, field);
        return value <= uint.MaxValue
            ? (uint)value
            : throw ProfileException.At(DiagnosticId.NumberOutOfRange, $"{value} is larger than {uint.MaxValue}", node.Origin, field);
    }

    public T Enum<T>(DocNode node, string field, WireNames<T> names)
        where T : struct, Enum
    {
        var text = String(node, field);
        if (names.TryParse(text, out var value))
            return value;
        var nearest = names.Names.MinBy(n => Syscalls.EditDistance.Between(text.ToUpperInvariant(), n));
        throw ProfileException.At(DiagnosticId.UnknownValue, $"unknown value '{text}' (did you mean '{nearest}'?)", node.Origin, field);
    }

    public DocNode Required(DocMap map, string key, string field) =>
        map.Get(key) ?? throw ProfileException.At(DiagnosticId.MissingField, $"required field '{key}' is missing", map.Origin, field);

    /// <summary>The entries of <paramref name="map"/> whose keys are not in <paramref name="known"/>; each is remembered for <see cref="UnknownFieldWarnings"/>.</summary>
    public ValueList<DocEntry> Unknown(DocMap map, IReadOnlySet<string> known, string field)
    {
        List<DocEntry>? extra = null;
        foreach (var entry in map.Entries)
        {
            if (known.Contains(entry.Key))
                continue;
            (extra ??= []).Add(entry);
            var key = field.Length == 0 ? entry.Key : $"{StripIndexes(field)}.{entry.Key}";
            _unknown[key] = _unknown.TryGetValue(key, out var seen) ? (seen.Count + 1, seen.First) : (1, entry.KeyOrigin);
        }
        return extra?.ToValueList() ?? [];
    }

    public IEnumerable<Diagnostic> UnknownFieldWarnings() =>
        _unknown.Select(u => Diagnostic.Warning(
            DiagnosticId.UnknownField,
            u.Value.Count == 1 ? $"unknown field '{u.Key}' (kept as is)" : $"unknown field '{u.Key}' ({u.Value.Count} times; kept as is)",
            u.Value.First));

    public static ProfileException WrongType(DocNode node, string field, string expected) =>
        ProfileException.At(DiagnosticId.WrongType, $"expected {expected}, found {node.KindName}", node.Origin, field);

    private static string StripIndexes(string field) =>
        System.Text.RegularExpressions.Regex.Replace(field, @"\[\d+\]", "[]");

    private static bool TryOctal(string digits, out ulong value)
    {
        value = 0;
        foreach (var c in digits)
        {
            if (c is < '0' or > '7' || value > (ulong.MaxValue >> 3))
                return false;
            value = (value << 3) | (uint)(c - '0');
        }
        return digits.Length > 0;
    }
}
