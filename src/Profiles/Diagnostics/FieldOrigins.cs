namespace Portcullis.Profiles.Diagnostics;

/// <summary>Where each field of an object was written (its key's position). Like <see cref="Origin"/>, never part of value equality.</summary>
public readonly struct FieldOrigins : IEquatable<FieldOrigins>
{
    private readonly IReadOnlyDictionary<string, Origin>? _origins;

    public FieldOrigins(IReadOnlyDictionary<string, Origin> origins) => _origins = origins;

    /// <summary>The field's position, or <paramref name="fallback"/> (the object's) when unknown.</summary>
    public Origin Of(string field, Origin fallback) =>
        _origins is not null && _origins.TryGetValue(field, out var o) ? o : fallback;

    public bool Equals(FieldOrigins other) => true;
    public override bool Equals(object? obj) => obj is FieldOrigins;
    public override int GetHashCode() => 0;
    public static bool operator ==(FieldOrigins left, FieldOrigins right) => true;
    public static bool operator !=(FieldOrigins left, FieldOrigins right) => false;
}
