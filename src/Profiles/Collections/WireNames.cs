namespace Portcullis.Profiles.Collections;

/// <summary>The spelling of each enum value in a file format, both ways.</summary>
public sealed class WireNames<T>
    where T : struct, Enum
{
    private readonly Dictionary<T, string> _toName = [];
    private readonly Dictionary<string, T> _toValue = new(StringComparer.Ordinal);

    public WireNames(params (T Value, string Name)[] pairs)
    {
        foreach (var (value, name) in pairs)
        {
            _toName.TryAdd(value, name);
            _toValue[name] = value;
        }
    }

    public IEnumerable<string> Names => _toValue.Keys;

    public string Name(T value) => _toName[value];

    public bool TryParse(string name, out T value) => _toValue.TryGetValue(name, out value);
}
