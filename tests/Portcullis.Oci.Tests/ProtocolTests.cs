using System.Net;
using System.Net.Http.Headers;
using Portcullis.Oci.Model;
using Portcullis.Oci.References;
using Portcullis.Oci.Transport;

namespace Portcullis.Oci.Tests;

/// <summary>Protocol paths the installable registry cannot show, against <see cref="ScriptedRegistry"/> (an in-process fake).</summary>
public sealed class ProtocolTests
{
    private static readonly Digest Subject = Digest.Sha256("image"u8);
    private static readonly ImageReference Repo = ImageReference.Parse("registry.test/shop/app:v1");

    private static RegistryClient Client(ScriptedRegistry handler, RegistryCredentials? credentials = null) =>
        new(new RegistryOptions { Credentials = _ => credentials, FirstBackoff = TimeSpan.FromMilliseconds(1), InsecureRegistries = ["registry.test"] }, handler);

    private static string Referrer(int i) =>
        $$"""{"mediaType":"{{MediaTypes.OciManifest}}","digest":"{{Digest.Sha256(new[] { (byte)i })}}","size":{{100 + i}},"artifactType":"application/vnd.cncf.seccomp-profile.config.v1+json"}""";

    [Fact]
    public async Task The_referrers_api_is_used_when_present_and_its_pages_followed()
    {
        var handler = new ScriptedRegistry(r =>
        {
            var url = r.RequestUri!.PathAndQuery;
            if (url.StartsWith($"/v2/shop/app/referrers/{Subject}", StringComparison.Ordinal) && !url.Contains("page=2", StringComparison.Ordinal))
            {
                var first = ScriptedRegistry.Json($$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciIndex}}","manifests":[{{Referrer(1)}}]}""", MediaTypes.OciIndex);
                first.Headers.Add("Link", $"</v2/shop/app/referrers/{Subject}?page=2>; rel=\"next\"");
                return first;
            }
            if (url.Contains("page=2", StringComparison.Ordinal))
                return ScriptedRegistry.Json($$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciIndex}}","manifests":[{{Referrer(2)}}]}""", MediaTypes.OciIndex);
            return new HttpResponseMessage(HttpStatusCode.NotFound);
        });
        using var client = Client(handler);
        var found = await client.ListReferrersAsync(Repo, Subject, null, TestContext.Current.CancellationToken);
        Assert.Equal([101L, 102L], found.Select(f => f.Size));
        Assert.DoesNotContain(handler.Requests, r => r.Url.AbsolutePath.Contains("sha256-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Referrers_tag_writes_are_conditional_where_the_registry_gives_etags()
    {
        var tagPath = $"/v2/shop/app/manifests/{Subject.ReferrersTag}";
        var stored = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OciIndex + "\",\"manifests\":[" + Referrer(1) + "]}";
        var version = 1;
        var rejectedOnce = false;
        var puts = new List<string?>();
        var handler = new ScriptedRegistry(r =>
        {
            if (r.RequestUri!.AbsolutePath != tagPath)
                return new HttpResponseMessage(HttpStatusCode.NotFound);
            if (r.Method == HttpMethod.Get)
            {
                var response = ScriptedRegistry.Json(stored, MediaTypes.OciIndex);
                response.Headers.ETag = new EntityTagHeaderValue($"\"v{version}\"");
                return response;
            }
            var ifMatch = r.Headers.TryGetValues("If-Match", out var values) ? values.First() : null;
            puts.Add(ifMatch);
            if (!rejectedOnce)
            {
                // Another writer got in first: referrer 2 arrives and the version moves on.
                rejectedOnce = true;
                stored = stored.Replace("]}", "," + Referrer(2) + "]}", StringComparison.Ordinal);
                version++;
                return new HttpResponseMessage(HttpStatusCode.PreconditionFailed);
            }
            if (ifMatch != $"\"v{version}\"")
                return new HttpResponseMessage(HttpStatusCode.PreconditionFailed);
            stored = System.Text.Encoding.UTF8.GetString(r.Content!.ReadAsByteArrayAsync().GetAwaiter().GetResult());
            version++;
            return new HttpResponseMessage(HttpStatusCode.Created);
        });
        using var client = Client(handler);
        var mine = Descriptor.FromJson(System.Text.Json.Nodes.JsonNode.Parse(Referrer(3))!, "test");
        await client.AddToReferrersTagAsync(Repo, Subject, mine, TestContext.Current.CancellationToken);
        Assert.Equal(["\"v1\"", "\"v2\""], puts);
        Assert.Equal([101L, 102L, 103L], new Manifest(System.Text.Encoding.UTF8.GetBytes(stored), MediaTypes.OciIndex, Subject).Entries("tag").Select(e => e.Size));
    }

    [Fact]
    public async Task Docker_hub_references_go_to_its_api_host()
    {
        var handler = new ScriptedRegistry(_ => new HttpResponseMessage(HttpStatusCode.NotFound));
        using var client = Client(handler);
        Assert.False(await client.BlobExistsAsync(ImageReference.Parse("nginx:1.27"), Subject, TestContext.Current.CancellationToken));
        Assert.Equal("https://registry-1.docker.io/v2/library/nginx/blobs/" + Subject, handler.Requests.Single().Url.ToString());
    }

    [Fact]
    public async Task Throttling_and_server_errors_are_retried_honouring_retry_after()
    {
        var calls = 0;
        var handler = new ScriptedRegistry(_ =>
        {
            calls++;
            if (calls == 1)
            {
                var throttled = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
                throttled.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.Zero);
                return throttled;
            }
            return calls == 2 ? new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) : new HttpResponseMessage(HttpStatusCode.OK);
        });
        using var client = Client(handler);
        await client.PingAsync("registry.test", TestContext.Current.CancellationToken);
        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task The_bearer_flow_fetches_a_scoped_token_once_and_reuses_it()
    {
        var handler = new ScriptedRegistry(r =>
        {
            if (r.RequestUri!.Host == "auth.test")
                return ScriptedRegistry.Json("""{"token":"tok-123","expires_in":300}""");
            if (r.Headers.Authorization?.ToString() != "Bearer tok-123")
            {
                var challenge = new HttpResponseMessage(HttpStatusCode.Unauthorized);
                challenge.Headers.WwwAuthenticate.ParseAdd("Bearer realm=\"http://auth.test/token\",service=\"registry.test\",scope=\"repository:shop/app:pull\"");
                return challenge;
            }
            return new HttpResponseMessage(HttpStatusCode.OK);
        });
        using var client = new RegistryClient(new RegistryOptions { Credentials = _ => new RegistryCredentials("u", "p"), InsecureRegistries = ["registry.test", "auth.test"] }, handler);
        Assert.True(await client.BlobExistsAsync(Repo, Subject, TestContext.Current.CancellationToken));
        Assert.True(await client.BlobExistsAsync(Repo, Subject, TestContext.Current.CancellationToken));
        var tokenRequests = handler.Requests.Where(r => r.Url.Host == "auth.test").ToList();
        var single = Assert.Single(tokenRequests);
        Assert.Contains("scope=repository%3Ashop%2Fapp%3Apull", single.Url.Query, StringComparison.Ordinal);
        Assert.StartsWith("Basic ", single.Authorization, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_redirect_to_another_host_carries_no_credentials()
    {
        var content = "profile"u8.ToArray();
        var digest = Digest.Sha256(content);
        var handler = new ScriptedRegistry(r =>
        {
            if (r.RequestUri!.Host == "storage.test")
                return new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(content) };
            if (r.Headers.Authorization is null)
            {
                var challenge = new HttpResponseMessage(HttpStatusCode.Unauthorized);
                challenge.Headers.WwwAuthenticate.ParseAdd("Basic realm=\"registry\"");
                return challenge;
            }
            var redirect = new HttpResponseMessage(HttpStatusCode.TemporaryRedirect);
            redirect.Headers.Location = new Uri("http://storage.test/blob?signature=abc");
            return redirect;
        });
        using var client = Client(handler, new RegistryCredentials("u", "p"));
        Assert.Equal(content, await client.PullBlobAsync(Repo, digest, 1024, TestContext.Current.CancellationToken));
        Assert.Null(handler.Requests.Single(r => r.Url.Host == "storage.test").Authorization);
    }

    [Fact]
    public async Task A_manifest_whose_bytes_do_not_hash_to_the_digest_asked_for_is_refused()
    {
        var good = """{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}""";
        var digest = Digest.Sha256(System.Text.Encoding.UTF8.GetBytes(good));
        using var client = Client(new ScriptedRegistry(_ => ScriptedRegistry.Json(good.Replace("2", "3", StringComparison.Ordinal), MediaTypes.OciManifest)));
        var e = await Assert.ThrowsAsync<OciException>(() => client.GetManifestAsync(Repo with { Tag = null, Digest = digest }, TestContext.Current.CancellationToken));
        Assert.EndsWith("the content does not match its digest", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Oversized_and_mistyped_manifests_are_refused()
    {
        var huge = new string(' ', 5 * 1024 * 1024);
        using (var client = Client(new ScriptedRegistry(_ => ScriptedRegistry.Json("{" + huge + "}", MediaTypes.OciManifest))))
            Assert.Contains("more than", (await Assert.ThrowsAsync<OciException>(() => client.GetManifestAsync(Repo, TestContext.Current.CancellationToken))).Message, StringComparison.Ordinal);
        using (var client = Client(new ScriptedRegistry(_ => ScriptedRegistry.Json("<html/>", "text/html"))))
            Assert.Contains("unexpected media type 'text/html'", (await Assert.ThrowsAsync<OciException>(() => client.GetManifestAsync(Repo, TestContext.Current.CancellationToken))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Credentials_are_not_sent_in_clear_text_to_a_remote_token_realm()
    {
        var handler = new ScriptedRegistry(_ =>
        {
            var challenge = new HttpResponseMessage(HttpStatusCode.Unauthorized);
            challenge.Headers.WwwAuthenticate.ParseAdd("Bearer realm=\"http://evil.example/token\",service=\"x\"");
            return challenge;
        });
        using var client = Client(handler, new RegistryCredentials("u", "p"));
        var e = await Assert.ThrowsAsync<OciException>(() => client.PingAsync("registry.test", TestContext.Current.CancellationToken));
        Assert.Contains("refusing to send credentials", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(handler.Requests, r => r.Url.Host == "evil.example");
    }
}
