using System.Collections;
using System.Runtime.CompilerServices;

namespace Portcullis.Profiles.Collections;

/// <summary>An immutable list with value equality, so that records holding lists compare by content.</summary>
[CollectionBuilder(typeof(ValueList), nameof(ValueList.Create))]
public sealed class ValueList<T> : IReadOnlyList<T>, IEquatable<ValueList<T>>
{
    private readonly T[] _items;

    public ValueList(IEnumerable<T> items) => _items = items.ToArray();

    private ValueList(T[] items, bool _) => _items = items;

    internal static ValueList<T> Empty { get; } = new([], false);

    public int Count => _items.Length;
    public T this[int index] => _items[index];

    internal static ValueList<T> Wrap(T[] items) => items.Length == 0 ? Empty : new(items, false);

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    public bool Equals(ValueList<T>? other) =>
        other is not null && _items.AsSpan().SequenceEqual(other._items, EqualityComparer<T>.Default);

    public override bool Equals(object? obj) => Equals(obj as ValueList<T>);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in _items)
            hash.Add(item);
        return hash.ToHashCode();
    }

    public override string ToString() => "[" + string.Join(", ", _items) + "]";
}

public static class ValueList
{
    public static ValueList<T> Create<T>(ReadOnlySpan<T> items) => ValueList<T>.Wrap(items.ToArray());

    public static ValueList<T> ToValueList<T>(this IEnumerable<T> items) => ValueList<T>.Wrap(items.ToArray());
}
