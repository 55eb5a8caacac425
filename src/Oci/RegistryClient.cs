using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Portcullis.Oci.Model;
using Portcullis.Oci.References;
using Portcullis.Oci.Transport;

namespace Portcullis.Oci;

/// <summary>
/// An OCI distribution-spec v1.1 client: blobs (exists, monolithic upload, verified capped download),
/// manifests of every image type (exact bytes and their digest), and referrers, through the referrers API
/// or, where the registry has none, the referrers tag schema (an index tagged sha256-&lt;hex&gt;).
/// </summary>
public sealed class RegistryClient(RegistryOptions? options = null, HttpMessageHandler? handler = null) : IDisposable
{
    private const int MaxErrorBodyBytes = 64 * 1024;

    private readonly RegistryOptions _options = options ?? new RegistryOptions();
    private readonly RegistryTransport _transport = new(options ?? new RegistryOptions(), handler);

    public async Task PingAsync(string registry, CancellationToken cancel = default)
    {
        using var response = await SendAsync(registry, null, "pull", HttpMethod.Get, "", cancel).ConfigureAwait(false);
        await EnsureAsync(response, registry, null, "ping", cancel).ConfigureAwait(false);
    }

    public async Task<bool> BlobExistsAsync(ImageReference repo, Digest digest, CancellationToken cancel = default)
    {
        using var response = await SendAsync(repo.Registry, repo.Repository, "pull", HttpMethod.Head, $"{repo.Repository}/blobs/{digest}", cancel).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return false;
        await EnsureAsync(response, repo.Registry, repo.Repository, $"HEAD blob {digest}", cancel).ConfigureAwait(false);
        return true;
    }

    /// <summary>Uploads <paramref name="content"/> unless the registry has it: POST an upload session, PUT the bytes with ?digest=.</summary>
    public async Task<Descriptor> PushBlobAsync(ImageReference repo, byte[] content, string mediaType, CancellationToken cancel = default)
    {
        var digest = Digest.Sha256(content);
        var descriptor = new Descriptor(mediaType, digest, content.Length);
        if (await BlobExistsAsync(repo, digest, cancel).ConfigureAwait(false))
            return descriptor;

        var (location, _) = await StartUploadAsync(repo, cancel).ConfigureAwait(false);
        var withDigest = WithDigest(location, digest);
        using var put = await _transport.SendAsync(repo.Registry, repo.Repository, "pull,push", url =>
        {
            var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = new ByteArrayContent(content) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            return request;
        }, withDigest, cancel).ConfigureAwait(false);
        await EnsureAsync(put, repo.Registry, repo.Repository, $"upload blob {digest}", cancel).ConfigureAwait(false);
        return descriptor;
    }

    /// <summary>
    /// Uploads in chunks: POST a session, PATCH each chunk with Content-Range (never smaller than the
    /// registry's OCI-Chunk-Min-Length), then PUT ?digest= to close it. For blobs too large for one request.
    /// </summary>
    public async Task<Descriptor> PushBlobChunkedAsync(ImageReference repo, byte[] content, string mediaType, int chunkSize, CancellationToken cancel = default)
    {
        var digest = Digest.Sha256(content);
        var descriptor = new Descriptor(mediaType, digest, content.Length);
        if (await BlobExistsAsync(repo, digest, cancel).ConfigureAwait(false))
            return descriptor;

        var (location, minimum) = await StartUploadAsync(repo, cancel).ConfigureAwait(false);
        chunkSize = Math.Max(chunkSize, minimum ?? 0);
        for (var offset = 0; offset < content.Length; offset += chunkSize)
        {
            var length = Math.Min(chunkSize, content.Length - offset);
            var (from, to) = (offset, offset + length - 1);
            using var patch = await _transport.SendAsync(repo.Registry, repo.Repository, "pull,push", url =>
            {
                var request = new HttpRequestMessage(HttpMethod.Patch, url) { Content = new ByteArrayContent(content, from, length) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                request.Content.Headers.TryAddWithoutValidation("Content-Range", $"{from}-{to}");
                return request;
            }, location, cancel).ConfigureAwait(false);
            await EnsureAsync(patch, repo.Registry, repo.Repository, $"upload chunk {from}-{to} of {digest}", cancel).ConfigureAwait(false);
            location = Absolute(repo, patch.Headers.Location);
        }
        var close = WithDigest(location, digest);
        using var put = await _transport.SendAsync(repo.Registry, repo.Repository, "pull,push", url => new HttpRequestMessage(HttpMethod.Put, url) { Content = new ByteArrayContent([]) }, close, cancel).ConfigureAwait(false);
        await EnsureAsync(put, repo.Registry, repo.Repository, $"close upload of {digest}", cancel).ConfigureAwait(false);
        return descriptor;
    }

    /// <summary>Mounts a blob <paramref name="repo"/>'s registry already holds in <paramref name="fromRepository"/>; false when the registry would rather have it uploaded.</summary>
    public async Task<bool> MountBlobAsync(ImageReference repo, Digest digest, string fromRepository, CancellationToken cancel = default)
    {
        var path = $"{repo.Repository}/blobs/uploads/?mount={Uri.EscapeDataString(digest.ToString())}&from={Uri.EscapeDataString(fromRepository)}";
        using var response = await _transport.SendAsync(repo.Registry, repo.Repository, $"pull,push", url => new HttpRequestMessage(HttpMethod.Post, url), _transport.Url(repo.Registry, path), cancel).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Created)
            return true;
        await EnsureAsync(response, repo.Registry, repo.Repository, $"mount {digest} from {fromRepository}", cancel).ConfigureAwait(false);
        return false;
    }

    // POST /blobs/uploads/: the session's location, and the smallest chunk the registry accepts if it says.
    private async Task<(Uri Location, int? MinimumChunk)> StartUploadAsync(ImageReference repo, CancellationToken cancel)
    {
        using var start = await SendAsync(repo.Registry, repo.Repository, "pull,push", HttpMethod.Post, $"{repo.Repository}/blobs/uploads/", cancel).ConfigureAwait(false);
        await EnsureAsync(start, repo.Registry, repo.Repository, "start blob upload", cancel).ConfigureAwait(false);
        int? minimum = start.Headers.TryGetValues("OCI-Chunk-Min-Length", out var min) && int.TryParse(min.First(), out var m) ? m : null;
        return (Absolute(repo, start.Headers.Location), minimum);
    }

    // The session URL may carry its own query (e.g. _state); digest= is added to it.
    private static Uri WithDigest(Uri location, Digest digest) =>
        new UriBuilder(location) { Query = (location.Query.Length > 1 ? location.Query[1..] + "&" : "") + "digest=" + Uri.EscapeDataString(digest.ToString()) }.Uri;

    private Uri Absolute(ImageReference repo, Uri? location) =>
        location is null ? throw new OciException($"{repo.Registry}/{repo.Repository}: the upload session has no Location")
            : location.IsAbsoluteUri ? location : new Uri(_transport.Url(repo.Registry, ""), location);

    /// <summary>Downloads a blob, refusing more than <paramref name="maxBytes"/> and bytes that do not hash to <paramref name="digest"/>.</summary>
    public async Task<byte[]> PullBlobAsync(ImageReference repo, Digest digest, long maxBytes, CancellationToken cancel = default)
    {
        using var response = await SendAsync(repo.Registry, repo.Repository, "pull", HttpMethod.Get, $"{repo.Repository}/blobs/{digest}", cancel).ConfigureAwait(false);
        await EnsureAsync(response, repo.Registry, repo.Repository, $"GET blob {digest}", cancel).ConfigureAwait(false);
        return await ReadVerifiedAsync(response, digest, maxBytes, $"{repo.Registry}/{repo.Repository} blob {digest}", cancel).ConfigureAwait(false);
    }

    public async Task<Manifest> GetManifestAsync(ImageReference reference, CancellationToken cancel = default) =>
        await TryGetManifestAsync(reference, cancel).ConfigureAwait(false)
            ?? throw new OciException($"{reference.Registry}/{reference.Repository}: manifest {reference.Reference} not found", HttpStatusCode.NotFound, "MANIFEST_UNKNOWN");

    public async Task<Manifest?> TryGetManifestAsync(ImageReference reference, CancellationToken cancel = default)
    {
        using var response = await _transport.SendAsync(reference.Registry, reference.Repository, "pull", url => ManifestRequest(HttpMethod.Get, url), _transport.Url(reference.Registry, $"{reference.Repository}/manifests/{reference.Reference}"), cancel).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null;
        await EnsureAsync(response, reference.Registry, reference.Repository, $"GET manifest {reference.Reference}", cancel).ConfigureAwait(false);

        var mediaType = response.Content.Headers.ContentType?.MediaType ?? "";
        if (!MediaTypes.AllManifests.Contains(mediaType))
            throw new OciException($"{reference.Registry}/{reference.Repository}: manifest {reference.Reference} has the unexpected media type '{mediaType}'");
        var where = $"{reference.Registry}/{reference.Repository} manifest {reference.Reference}";
        byte[] bytes;
        Digest digest;
        if (reference.Digest is { } expected)
        {
            bytes = await ReadVerifiedAsync(response, expected, _options.MaxManifestBytes, where, cancel).ConfigureAwait(false);
            digest = expected;
        }
        else
        {
            bytes = await ReadCappedAsync(response, _options.MaxManifestBytes, where, cancel).ConfigureAwait(false);
            digest = Digest.Sha256(bytes);
            if (response.Headers.TryGetValues("Docker-Content-Digest", out var header) && Digest.TryParse(header.First(), out var claimed) && claimed.Algorithm == "sha256" && claimed != digest)
                throw new OciException($"{where}: the registry says {claimed} but the bytes hash to {digest}");
        }
        return new Manifest(bytes, mediaType, digest) { ETag = response.Headers.ETag?.ToString() };
    }

    /// <summary>HEAD of a manifest: its digest and media type as the registry states them, or null when it does not exist.</summary>
    public async Task<(Digest Digest, string MediaType)?> ManifestExistsAsync(ImageReference reference, CancellationToken cancel = default)
    {
        using var response = await _transport.SendAsync(reference.Registry, reference.Repository, "pull", url => ManifestRequest(HttpMethod.Head, url), _transport.Url(reference.Registry, $"{reference.Repository}/manifests/{reference.Reference}"), cancel).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null;
        await EnsureAsync(response, reference.Registry, reference.Repository, $"HEAD manifest {reference.Reference}", cancel).ConfigureAwait(false);
        var digest = response.Headers.TryGetValues("Docker-Content-Digest", out var values) && Digest.TryParse(values.First(), out var d) ? d
            : reference.Digest ?? throw new OciException($"{reference.Registry}/{reference.Repository}: HEAD manifest {reference.Reference} gave no Docker-Content-Digest");
        return (digest, response.Content.Headers.ContentType?.MediaType ?? "");
    }

    /// <summary>Puts a manifest under a tag or its digest. SubjectAccepted: the registry answered OCI-Subject, so it keeps referrers itself.</summary>
    public async Task<(Digest Digest, bool SubjectAccepted)> PutManifestAsync(ImageReference repo, string reference, byte[] bytes, string mediaType, CancellationToken cancel = default) =>
        await PutManifestAsync(repo, reference, bytes, mediaType, null, cancel).ConfigureAwait(false)
            ?? throw new OciException($"{repo.Registry}/{repo.Repository}: PUT manifest {reference}: precondition failed");

    /// <summary>A PUT that, given <paramref name="ifMatch"/>, only replaces the version read (null when the registry says it changed: HTTP 412).</summary>
    private async Task<(Digest Digest, bool SubjectAccepted)?> PutManifestAsync(ImageReference repo, string reference, byte[] bytes, string mediaType, string? ifMatch, CancellationToken cancel)
    {
        using var response = await _transport.SendAsync(repo.Registry, repo.Repository, "pull,push", url =>
        {
            var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = new ByteArrayContent(bytes) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
            if (ifMatch is not null)
                request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
            return request;
        }, _transport.Url(repo.Registry, $"{repo.Repository}/manifests/{reference}"), cancel).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.PreconditionFailed)
            return null;
        await EnsureAsync(response, repo.Registry, repo.Repository, $"PUT manifest {reference}", cancel).ConfigureAwait(false);
        return (Digest.Sha256(bytes), response.Headers.Contains("OCI-Subject"));
    }

    /// <summary>
    /// The referrers of <paramref name="subject"/>, optionally of one artifact type, newest first: the referrers API
    /// with its Link pagination, or the sha256-&lt;hex&gt; tag's index where the registry has no such API. Bounded by
    /// the options' referrer limits: only the newest per type are kept while pages stream in, and a listing stops
    /// at its byte, page or entry budget with what it kept.
    /// </summary>
    public async Task<IReadOnlyList<Descriptor>> ListReferrersAsync(ImageReference repo, Digest subject, string? artifactType, CancellationToken cancel = default)
    {
        await _options.ReferrerListings.WaitAsync(cancel).ConfigureAwait(false);
        try
        {
            return await ListReferrersBoundedAsync(repo, subject, artifactType, cancel).ConfigureAwait(false);
        }
        finally
        {
            _options.ReferrerListings.Release();
        }
    }

    private async Task<IReadOnlyList<Descriptor>> ListReferrersBoundedAsync(ImageReference repo, Digest subject, string? artifactType, CancellationToken cancel)
    {
        var kept = new NewestReferrers(_options.MaxReferrersKept, _options.MaxReferrerTypes);
        var path = $"{repo.Repository}/referrers/{subject}" + (artifactType is null ? "" : "?artifactType=" + Uri.EscapeDataString(artifactType));
        var url = _transport.Url(repo.Registry, path);
        var budget = _options.MaxReferrerBytes;
        long entries = 0;
        for (var page = 0; page < _options.MaxReferrerPages && budget > 0 && entries < _options.MaxReferrerEntries; page++)
        {
            using var response = await _transport.SendAsync(repo.Registry, repo.Repository, "pull", u => new HttpRequestMessage(HttpMethod.Get, u), url, cancel).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound && page == 0)
                return await FallbackReferrersAsync(repo, subject, artifactType, cancel).ConfigureAwait(false);
            await EnsureAsync(response, repo.Registry, repo.Repository, $"GET referrers of {subject}", cancel).ConfigureAwait(false);
            var cap = Math.Min(_options.MaxManifestBytes, budget);
            byte[] bytes;
            try
            {
                bytes = await ReadCappedAsync(response, cap, "referrers", cancel).ConfigureAwait(false);
            }
            catch (OciException) when (page > 0 && cap < _options.MaxManifestBytes)
            {
                // A page past what the listing may still read: the budget is spent, not the registry wrong.
                break;
            }
            budget -= bytes.Length;
            foreach (var entry in new Manifest(bytes, MediaTypes.OciIndex, subject).Entries($"{repo.Registry}/{repo.Repository} referrers of {subject}"))
            {
                if (++entries > _options.MaxReferrerEntries)
                    break;
                if (artifactType is null || entry.ArtifactType == artifactType)
                    kept.Offer(entry);
            }
            if (NextLink(response) is not { } next)
                break;
            url = new Uri(url, next);
        }
        return kept.Newest();
    }

    /// <summary>
    /// Adds <paramref name="referrer"/> to the referrers tag of <paramref name="subject"/>: read, merge, write,
    /// then read back. Where the registry gives an ETag the write is conditional (If-Match; 412 means
    /// someone else wrote first: read and merge again); where it does not, reading back is how a lost
    /// update is noticed, and the dropped entry is merged in again.
    /// </summary>
    public async Task AddToReferrersTagAsync(ImageReference repo, Digest subject, Descriptor referrer, CancellationToken cancel = default)
    {
        var tag = repo with { Tag = subject.ReferrersTag, Digest = null };
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var current = await TryGetManifestAsync(tag, cancel).ConfigureAwait(false);
            var entries = current?.Entries($"{repo.Registry}/{repo.Repository}:{tag.Tag}").ToList() ?? [];
            if (entries.All(e => e.Digest != referrer.Digest))
            {
                entries.Add(referrer);
                if (await PutManifestAsync(repo, tag.Tag!, Manifest.Index(entries), MediaTypes.OciIndex, current?.ETag, cancel).ConfigureAwait(false) is null)
                    continue;
            }
            await Task.Delay(Random.Shared.Next(20, 80) * (attempt + 1), cancel).ConfigureAwait(false);
            var check = await TryGetManifestAsync(tag, cancel).ConfigureAwait(false);
            if (check is not null && check.Entries(tag.ToString()).Any(e => e.Digest == referrer.Digest))
                return;
        }
        throw new OciException($"{repo.Registry}/{repo.Repository}: could not add {referrer.Digest} to the referrers tag {subject.ReferrersTag} (kept being overwritten)");
    }

    private async Task<IReadOnlyList<Descriptor>> FallbackReferrersAsync(ImageReference repo, Digest subject, string? artifactType, CancellationToken cancel)
    {
        var index = await TryGetManifestAsync(repo with { Tag = subject.ReferrersTag, Digest = null }, cancel).ConfigureAwait(false);
        var kept = new NewestReferrers(_options.MaxReferrersKept, _options.MaxReferrerTypes);
        foreach (var entry in index?.Entries($"{repo.Registry}/{repo.Repository}:{subject.ReferrersTag}").Take((int)Math.Min(int.MaxValue, _options.MaxReferrerEntries)) ?? [])
        {
            if (artifactType is null || entry.ArtifactType == artifactType)
                kept.Offer(entry);
        }
        return kept.Newest();
    }

    private static string? NextLink(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var links))
            return null;
        foreach (var link in links.SelectMany(l => l.Split(',')))
        {
            var parts = link.Split(';', StringSplitOptions.TrimEntries);
            if (parts.Length > 1 && parts.Skip(1).Any(p => p.Replace(" ", "", StringComparison.Ordinal) == "rel=\"next\"") && parts[0].StartsWith('<') && parts[0].EndsWith('>'))
                return parts[0][1..^1];
        }
        return null;
    }

    private static HttpRequestMessage ManifestRequest(HttpMethod method, Uri url)
    {
        var request = new HttpRequestMessage(method, url);
        foreach (var type in MediaTypes.AllManifests)
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        return request;
    }

    private Task<HttpResponseMessage> SendAsync(string registry, string? repository, string actions, HttpMethod method, string path, CancellationToken cancel) =>
        _transport.SendAsync(registry, repository, actions, url => new HttpRequestMessage(method, url), _transport.Url(registry, path), cancel);

    private static async Task EnsureAsync(HttpResponseMessage response, string registry, string? repository, string what, CancellationToken cancel)
    {
        if (response.IsSuccessStatusCode)
            return;
        string? code = null, message = null;
        try
        {
            // An error body is only worth its first error; a huge or endless one is not read.
            var body = await BodyReader.ReadAsync(response, MaxErrorBodyBytes, TimeSpan.FromSeconds(5), registry, null, cancel).ConfigureAwait(false);
            if (body.Length > 0)
            {
                using var json = JsonDocument.Parse(body);
                if (json.RootElement.TryGetProperty("errors", out var errors) && errors.GetArrayLength() > 0)
                {
                    code = errors[0].TryGetProperty("code", out var c) ? c.GetString() : null;
                    message = errors[0].TryGetProperty("message", out var m) ? m.GetString() : null;
                }
            }
        }
        catch (Exception e) when (e is JsonException or OciException or InvalidOperationException)
        {
        }
        var where = repository is null ? registry : $"{registry}/{repository}";
        var detail = code is null ? "" : $" {code}" + (message is null ? "" : $" ({message})");
        throw new OciException($"{where}: {what}: HTTP {(int)response.StatusCode}{detail}", response.StatusCode, code);
    }

    private Task<byte[]> ReadCappedAsync(HttpResponseMessage response, long maxBytes, string where, CancellationToken cancel) =>
        BodyReader.ReadAsync(response, maxBytes, _options.RequestTimeout, where, null, cancel);

    // Hashes while reading, so a wrong or oversized body is refused as soon as it shows, not after buffering it all.
    private async Task<byte[]> ReadVerifiedAsync(HttpResponseMessage response, Digest digest, long maxBytes, string where, CancellationToken cancel)
    {
        using var hash = digest.NewHash();
        var bytes = await BodyReader.ReadAsync(response, maxBytes, _options.RequestTimeout, where, hash, cancel).ConfigureAwait(false);
        return Convert.ToHexStringLower(hash.GetHashAndReset()) == digest.Hex
            ? bytes
            : throw new OciException($"{where}: the content does not match its digest");
    }

    public void Dispose() => _transport.Dispose();
}
