using System.Globalization;

namespace Portcullis.Profiles.Diagnostics;

/// <summary>
/// Where a model element was read from: file, 1-based line and column. Origins never take part in value
/// equality (every Origin equals every other), so that a profile written and read back equals the
/// profile it came from, while each element still knows its place for error messages.
/// </summary>
public readonly struct Origin : IEquatable<Origin>
{
    public Origin(string file, int line, int column)
    {
        File = file;
        Line = line;
        Column = column;
    }

    public string? File { get; }
    public int Line { get; }
    public int Column { get; }
    public bool IsKnown => File is not null;

    public static Origin None => default;

    public override string ToString() =>
        !IsKnown ? "" : Line > 0 ? string.Create(CultureInfo.InvariantCulture, $"{File}:{Line}:{Column}") : File!;

    public bool Equals(Origin other) => true;
    public override bool Equals(object? obj) => obj is Origin;
    public override int GetHashCode() => 0;
    public static bool operator ==(Origin left, Origin right) => true;
    public static bool operator !=(Origin left, Origin right) => false;
}
