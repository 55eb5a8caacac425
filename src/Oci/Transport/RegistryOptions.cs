namespace Portcullis.Oci.Transport;

/// <summary>How to reach registries: which may use plain HTTP, where credentials come from, retries and limits.</summary>
public sealed record RegistryOptions
{
    /// <summary>Registries (host[:port]) reached over plain HTTP; localhost, 127.0.0.1 and [::1] always are.</summary>
    public IReadOnlyList<string> InsecureRegistries { get; init; } = [];

    public Func<string, RegistryCredentials?> Credentials { get; init; } = DockerConfigCredentials.Default.Find;

    public int MaxAttempts { get; init; } = 4;
    public TimeSpan FirstBackoff { get; init; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Largest manifest or index accepted (the distribution spec suggests 4 MiB).</summary>
    public long MaxManifestBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>
    /// What one referrers listing may cost, across all its Link pages: bytes read, pages, entries looked at, and
    /// entries kept (the newest per artifact type, of at most <see cref="MaxReferrerTypes"/> types). Past a limit the
    /// listing ends with what it kept: whoever can push referrers can push a newer profile anyway, not a bigger bill.
    /// </summary>
    public long MaxReferrerBytes { get; init; } = 8 * 1024 * 1024;
    public int MaxReferrerPages { get; init; } = 16;
    public long MaxReferrerEntries { get; init; } = 20_000;
    public int MaxReferrersKept { get; init; } = 16;
    public int MaxReferrerTypes { get; init; } = 8;

    /// <summary>Referrer listings running at once, shared by every client made from these options (and their copies).</summary>
    public SemaphoreSlim ReferrerListings { get; init; } = new(4);

    public bool IsInsecure(string registry)
    {
        var host = registry.StartsWith('[') ? registry[..(registry.IndexOf(']', StringComparison.Ordinal) + 1)] : registry.Split(':')[0];
        return host is "localhost" or "127.0.0.1" or "[::1]" || InsecureRegistries.Contains(registry, StringComparer.OrdinalIgnoreCase);
    }
}
