namespace Portcullis.Oci.Model;

/// <summary>
/// The newest referrers per artifact type, chosen while a listing streams in: at most <paramref name="perType"/> of
/// each of at most <paramref name="types"/> types are held, so a registry (or whoever can push referrers) that lists
/// millions costs memory for a few. Newest by the <c>org.opencontainers.image.created</c> annotation (RFC 3339 in
/// UTC sorts as text), ties to the one listed first.
/// </summary>
internal sealed class NewestReferrers(int perType, int types)
{
    public const string Created = "org.opencontainers.image.created";

    private readonly Dictionary<string, List<(Descriptor Referrer, long Order)>> _kept = new(StringComparer.Ordinal);
    private long _seen;


    /// <summary>How many entries were offered in all.</summary>
    public long Seen => _seen;

    /// <summary>How many are held now.</summary>
    public int Count => _kept.Values.Sum(k => k.Count);

    public void Offer(Descriptor referrer)
    {
        var order = _seen++;
        var type = referrer.ArtifactType ?? "";
        if (!_kept.TryGetValue(type, out var kept))
        {
            if (_kept.Count >= types)
                return;
            _kept[type] = kept = [];
        }
        kept.Add((referrer, order));
        if (kept.Count > perType)
            kept.Remove(kept.MaxBy(k => k, Older.Instance));
    }

    /// <summary>What is held, newest first.</summary>
    public IReadOnlyList<Descriptor> Newest() =>
        _kept.Values.SelectMany(k => k).Order(Older.Instance).Select(k => k.Referrer).ToList();

    // Greater means older: a later created time is newer; of equal times the one listed first wins.
    private sealed class Older : IComparer<(Descriptor Referrer, long Order)>
    {
        public static readonly Older Instance = new();

        public int Compare((Descriptor Referrer, long Order) x, (Descriptor Referrer, long Order) y)
        {
            var byTime = string.CompareOrdinal(y.Referrer.Annotations.GetValueOrDefault(Created, ""), x.Referrer.Annotations.GetValueOrDefault(Created, ""));
            return byTime != 0 ? byTime : x.Order.CompareTo(y.Order);
        }
    }
}
