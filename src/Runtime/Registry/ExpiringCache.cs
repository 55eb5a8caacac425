using System.Collections.Concurrent;

namespace Portcullis.Runtime.Registry;

/// <summary>A bounded map whose entries expire; when full, the oldest half goes. Enough for caches that refill themselves.</summary>
public sealed class ExpiringCache<TKey, TValue>(TimeProvider time, TimeSpan lifetime, int capacity) where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, (TValue Value, DateTimeOffset Expires)> _entries = new();

    public int Count => _entries.Count;

    public bool TryGet(TKey key, out TValue value)
    {
        if (_entries.TryGetValue(key, out var entry) && entry.Expires > time.GetUtcNow())
        {
            value = entry.Value;
            return true;
        }
        value = default!;
        return false;
    }

    public void Set(TKey key, TValue value)
    {
        if (_entries.Count >= capacity)
        {
            foreach (var old in _entries.OrderBy(e => e.Value.Expires).Take(capacity / 2).ToList())
                _entries.TryRemove(old.Key, out _);
        }
        _entries[key] = (value, time.GetUtcNow() + lifetime);
    }

    public void Remove(TKey key) => _entries.TryRemove(key, out _);
}
