namespace Portcullis.Profiles.Diagnostics;

/// <summary>Origins of the items of a list (e.g. each syscall name of a rule). Like <see cref="Origin"/>, never part of value equality.</summary>
public readonly struct OriginList : IEquatable<OriginList>
{
    private readonly Origin[]? _items;

    public OriginList(IEnumerable<Origin> items) => _items = items.ToArray();

    public int Count => _items?.Length ?? 0;

    public Origin this[int index] => _items![index];

    public bool Equals(OriginList other) => true;
    public override bool Equals(object? obj) => obj is OriginList;
    public override int GetHashCode() => 0;
    public static bool operator ==(OriginList left, OriginList right) => true;
    public static bool operator !=(OriginList left, OriginList right) => false;
    public override string ToString() => $"{Count} origins";
}
