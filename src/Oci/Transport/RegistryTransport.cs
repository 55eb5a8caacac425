using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Portcullis.Oci.Transport;

/// <summary>
/// HTTP to registries, per the distribution spec: anonymous first; on 401 the challenge decides Basic or the
/// Bearer token flow (realm, service, scope per repository and actions; tokens cached until expiry);
/// 429 and 5xx retried with exponential backoff honouring Retry-After; redirects followed by hand so that
/// credentials never go to another origin; plain HTTP only for loopback and listed registries.
/// </summary>
internal sealed class RegistryTransport : IDisposable
{
    private const long MaxTokenResponseBytes = 1024 * 1024;

    private readonly HttpClient _http;
    private readonly RegistryOptions _options;
    private readonly ConcurrentDictionary<string, AuthChallenge> _challenges = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset Expires)> _tokens = new(StringComparer.Ordinal);

    public RegistryTransport(RegistryOptions options, HttpMessageHandler? handler)
    {
        _options = options;
        _http = new HttpClient(handler ?? new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = options.RequestTimeout,
        };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("portcullis", "0.1"));
    }

    // docker.io names Docker Hub; its API answers at registry-1.docker.io.
    public Uri Url(string registry, string path) =>
        new($"{(_options.IsInsecure(registry) ? "http" : "https")}://{(registry == References.ImageReference.DockerHub ? "registry-1.docker.io" : registry)}/v2/{path}");

    /// <summary>The origin (scheme://host:port) of a registry's API; credentials and tokens belong to it alone.</summary>
    public Uri Origin(string registry) => new(Url(registry, "").GetLeftPart(UriPartial.Authority));

    /// <summary>
    /// Sends a request built for <paramref name="url"/>. Credentials go only to the registry's own origin; a URL
    /// the registry hands out elsewhere (a Link page, an upload Location, a redirect) is requested without
    /// them, and never over plain HTTP when the registry speaks HTTPS.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(string registry, string? repository, string actions, Func<Uri, HttpRequestMessage> build, Uri url, CancellationToken cancel)
    {
        var scope = repository is null ? null : $"repository:{repository}:{actions}";
        var origin = Origin(registry);
        if (RegistryOrigin.IsDowngrade(origin, url))
            throw new OciException($"{registry}: refusing {url.GetLeftPart(UriPartial.Authority)}: the registry speaks HTTPS and the URL it gave is plain HTTP");
        var home = RegistryOrigin.Same(origin, url);
        var authRetried = false;
        for (var attempt = 1; ; attempt++)
        {
            using var request = build(url);
            if (home)
                await AuthorizeAsync(request, registry, scope, cancel).ConfigureAwait(false);
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel).ConfigureAwait(false);
            }
            catch (HttpRequestException) when (attempt < _options.MaxAttempts)
            {
                await Task.Delay(Backoff(attempt, null), cancel).ConfigureAwait(false);
                continue;
            }
            catch (HttpRequestException e)
            {
                throw new OciException($"{registry}: cannot connect ({e.Message})", e);
            }
            catch (TaskCanceledException e) when (!cancel.IsCancellationRequested)
            {
                throw new OciException($"{registry}: no answer within {_options.RequestTimeout.TotalSeconds:0.###} s", e);
            }

            if (home && response.StatusCode == HttpStatusCode.Unauthorized && !authRetried && AuthChallenge.From(response) is { } challenge)
            {
                response.Dispose();
                _challenges[registry] = challenge;
                if (challenge.IsBearer)
                    _tokens.TryRemove(TokenKey(registry, scope), out _);
                authRetried = true;
                attempt--;
                continue;
            }
            if ((response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500) && attempt < _options.MaxAttempts)
            {
                var wait = Backoff(attempt, response.Headers.RetryAfter);
                response.Dispose();
                await Task.Delay(wait, cancel).ConfigureAwait(false);
                continue;
            }
            if ((int)response.StatusCode is 301 or 302 or 303 or 307 or 308 && response.Headers.Location is { } location)
            {
                var target = location.IsAbsoluteUri ? location : new Uri(url, location);
                response.Dispose();
                return await FollowRedirectAsync(request.Method, target, url, cancel).ConfigureAwait(false);
            }
            return response;
        }
    }

    // Storage back ends redirect blob downloads to pre-signed URLs: the credentials stay home, and HTTPS is never left for HTTP.
    private async Task<HttpResponseMessage> FollowRedirectAsync(HttpMethod method, Uri target, Uri origin, CancellationToken cancel)
    {
        var from = origin;
        for (var hops = 0; hops < 5; hops++)
        {
            if (RegistryOrigin.IsDowngrade(from, target))
                throw new OciException($"{origin.Authority}: refusing a redirect from HTTPS to plain HTTP ({target.GetLeftPart(UriPartial.Authority)})");
            using var request = new HttpRequestMessage(method, target);
            var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel).ConfigureAwait(false);
            if ((int)response.StatusCode is not (301 or 302 or 303 or 307 or 308) || response.Headers.Location is not { } next)
                return response;
            response.Dispose();
            from = target;
            target = next.IsAbsoluteUri ? next : new Uri(target, next);
        }
        throw new OciException($"{origin.Authority}: too many redirects");
    }

    private async Task AuthorizeAsync(HttpRequestMessage request, string registry, string? scope, CancellationToken cancel)
    {
        if (!_challenges.TryGetValue(registry, out var challenge))
            return;
        if (!challenge.IsBearer)
        {
            if (_options.Credentials(registry) is { } basic)
                request.Headers.Authorization = AuthChallenge.Basic(basic);
            return;
        }
        var token = await TokenAsync(registry, challenge, scope, cancel).ConfigureAwait(false);
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    private async Task<string?> TokenAsync(string registry, AuthChallenge challenge, string? scope, CancellationToken cancel)
    {
        var key = TokenKey(registry, scope);
        if (_tokens.TryGetValue(key, out var cached) && cached.Expires > DateTimeOffset.UtcNow.AddSeconds(10))
            return cached.Token;
        if (!challenge.Parameters.TryGetValue("realm", out var realm) || !Uri.TryCreate(realm, UriKind.Absolute, out var realmUri))
            throw new OciException($"{registry}: the Bearer challenge names no usable realm");

        var query = new List<string>();
        if (challenge.Parameters.TryGetValue("service", out var service))
            query.Add("service=" + Uri.EscapeDataString(service));
        if (scope is not null)
            query.Add("scope=" + Uri.EscapeDataString(scope));
        var tokenUrl = new UriBuilder(realmUri) { Query = string.Join('&', query) }.Uri;

        var registryOrigin = Origin(registry);
        using var request = new HttpRequestMessage(HttpMethod.Get, tokenUrl);
        if (_options.Credentials(registry) is { } credentials)
        {
            if (tokenUrl.Scheme != Uri.UriSchemeHttps && !(RegistryOrigin.Same(tokenUrl, registryOrigin) || _options.IsInsecure(tokenUrl.Authority)))
                throw new OciException($"{registry}: refusing to send credentials to the token realm {tokenUrl.GetLeftPart(UriPartial.Authority)} over plain HTTP");
            if (RegistryOrigin.IsInternal(tokenUrl) && !RegistryOrigin.IsInternal(registryOrigin))
                throw new OciException($"{registry}: refusing to send credentials to the token realm {tokenUrl.GetLeftPart(UriPartial.Authority)}, an internal address the registry is not on");
            request.Headers.Authorization = AuthChallenge.Basic(credentials);
        }
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw new OciException($"{registry}: the token service {tokenUrl.GetLeftPart(UriPartial.Path)} answered HTTP {(int)response.StatusCode} for scope '{scope}'", response.StatusCode, null);
        var body = await BodyReader.ReadAsync(response, MaxTokenResponseBytes, _options.RequestTimeout, $"{registry}: token service", null, cancel).ConfigureAwait(false);
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            throw new OciException($"{registry}: the token service answered something that is not JSON");
        }
        using var parsed = json;
        var root = json.RootElement;
        var token = root.ValueKind != JsonValueKind.Object ? null : root.TryGetProperty("token", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : root.TryGetProperty("access_token", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
        if (string.IsNullOrEmpty(token))
            throw new OciException($"{registry}: the token service answered without a token");
        var lifetime = root.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var seconds) ? seconds : 60;
        _tokens[key] = (token, DateTimeOffset.UtcNow.AddSeconds(lifetime));
        return token;
    }

    private TimeSpan Backoff(int attempt, RetryConditionHeaderValue? retryAfter)
    {
        if (retryAfter?.Delta is { } delta)
            return delta < TimeSpan.FromSeconds(60) ? delta : TimeSpan.FromSeconds(60);
        if (retryAfter?.Date is { } date && date - DateTimeOffset.UtcNow is var until && until > TimeSpan.Zero)
            return until < TimeSpan.FromSeconds(60) ? until : TimeSpan.FromSeconds(60);
        return _options.FirstBackoff * Math.Pow(2, attempt - 1);
    }

    private static string TokenKey(string registry, string? scope) => registry + "|" + scope;

    public void Dispose() => _http.Dispose();
}
