using System.Net;
using Portcullis.Oci.Model;
using Portcullis.Oci.References;
using Portcullis.Oci.Transport;

namespace Portcullis.Oci.Tests;

/// <summary>
/// Credentials stay with the origin that challenged for them. Against <see cref="ScriptedRegistry"/> (an
/// in-process fake): no installable registry hands out cross-origin Links or upload Locations on demand.
/// </summary>
public sealed class CredentialOriginTests
{
    private static readonly Digest Subject = Digest.Sha256("image"u8);
    private static readonly ImageReference Repo = ImageReference.Parse("registry.test/shop/app:v1");
    private static readonly RegistryCredentials Secret = new("u", "p");
    private static readonly string[] EnvironmentNames = ["PORTCULLIS_REGISTRY", "PORTCULLIS_REGISTRY_USERNAME", "PORTCULLIS_REGISTRY_PASSWORD"];

    private static HttpResponseMessage Challenge()
    {
        var challenge = new HttpResponseMessage(HttpStatusCode.Unauthorized);
        challenge.Headers.WwwAuthenticate.ParseAdd("Basic realm=\"registry\"");
        return challenge;
    }

    private static RegistryClient Client(ScriptedRegistry handler, string[]? insecure = null) =>
        new(new RegistryOptions { Credentials = r => r == "registry.test" ? Secret : null, FirstBackoff = TimeSpan.FromMilliseconds(1), InsecureRegistries = insecure ?? ["registry.test"] }, handler);

    [Fact]
    public async Task A_referrers_page_on_another_host_is_fetched_without_credentials()
    {
        var handler = new ScriptedRegistry(r =>
        {
            if (r.RequestUri!.Host == "other.test")
                return ScriptedRegistry.Json($$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciIndex}}","manifests":[]}""", MediaTypes.OciIndex);
            if (r.Headers.Authorization is null)
                return Challenge();
            var first = ScriptedRegistry.Json($$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciIndex}}","manifests":[]}""", MediaTypes.OciIndex);
            first.Headers.Add("Link", "<http://other.test/v2/shop/app/referrers/x?page=2>; rel=\"next\"");
            return first;
        });
        using var client = Client(handler);
        await client.ListReferrersAsync(Repo, Subject, null, TestContext.Current.CancellationToken);
        Assert.Contains(handler.Requests, r => r.Url.Host == "registry.test" && r.Authorization is not null);
        Assert.Null(Assert.Single(handler.Requests, r => r.Url.Host == "other.test").Authorization);
    }

    [Fact]
    public async Task An_upload_location_on_another_host_gets_no_credentials()
    {
        var handler = new ScriptedRegistry(r =>
        {
            if (r.RequestUri!.Host == "other.test")
                return new HttpResponseMessage(HttpStatusCode.Created);
            if (r.Headers.Authorization is null)
                return Challenge();
            if (r.Method == HttpMethod.Head)
                return new HttpResponseMessage(HttpStatusCode.NotFound);
            var accepted = new HttpResponseMessage(HttpStatusCode.Accepted);
            accepted.Headers.Location = new Uri("http://other.test/upload/abc?_state=x");
            return accepted;
        });
        using var client = Client(handler);
        await client.PushBlobAsync(Repo, "blob"u8.ToArray(), "application/octet-stream", TestContext.Current.CancellationToken);
        var put = Assert.Single(handler.Requests, r => r.Url.Host == "other.test");
        Assert.Equal(HttpMethod.Put, put.Method);
        Assert.Null(put.Authorization);
    }

    [Fact]
    public async Task An_https_registry_is_never_left_for_plain_http()
    {
        var handler = new ScriptedRegistry(r =>
        {
            if (r.RequestUri!.Scheme == "http")
                return new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent("x"u8.ToArray()) };
            var redirect = new HttpResponseMessage(HttpStatusCode.TemporaryRedirect);
            redirect.Headers.Location = new Uri("http://storage.test/blob");
            return redirect;
        });
        using var client = Client(handler, insecure: []);
        var e = await Assert.ThrowsAsync<OciException>(() => client.PullBlobAsync(Repo, Digest.Sha256("x"u8), 1024, TestContext.Current.CancellationToken));
        Assert.Contains("HTTPS to plain HTTP", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(handler.Requests, r => r.Url.Scheme == "http");
    }

    [Fact]
    public async Task An_https_registry_handing_out_a_plain_http_upload_location_is_refused()
    {
        var handler = new ScriptedRegistry(r =>
        {
            if (r.Method == HttpMethod.Head)
                return new HttpResponseMessage(HttpStatusCode.NotFound);
            var accepted = new HttpResponseMessage(HttpStatusCode.Accepted);
            accepted.Headers.Location = new Uri("http://registry.test/upload/abc");
            return accepted;
        });
        using var client = Client(handler, insecure: []);
        var e = await Assert.ThrowsAsync<OciException>(() => client.PushBlobAsync(Repo, "blob"u8.ToArray(), "application/octet-stream", TestContext.Current.CancellationToken));
        Assert.Contains("plain HTTP", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(handler.Requests, r => r.Url.Scheme == "http");
    }

    [Theory]
    [InlineData("https://10.0.0.5/token")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://127.0.0.1:5000/token")]
    public async Task Credentials_do_not_go_to_a_token_realm_on_an_internal_address(string realm)
    {
        var handler = new ScriptedRegistry(r =>
        {
            var challenge = new HttpResponseMessage(HttpStatusCode.Unauthorized);
            challenge.Headers.WwwAuthenticate.ParseAdd($"Bearer realm=\"{realm}\",service=\"x\"");
            return challenge;
        });
        using var client = Client(handler, insecure: []);
        var e = await Assert.ThrowsAsync<OciException>(() => client.PingAsync("registry.test", TestContext.Current.CancellationToken));
        Assert.Contains("internal address", e.Message, StringComparison.Ordinal);
        Assert.All(handler.Requests, r => Assert.Equal("registry.test", r.Url.Host));
    }

    [Fact]
    public void Environment_credentials_belong_to_the_one_registry_PORTCULLIS_REGISTRY_names()
    {
        var saved = EnvironmentNames.ToDictionary(n => n, Environment.GetEnvironmentVariable);
        try
        {
            var none = new DockerConfigCredentials(Path.Combine(Path.GetTempPath(), "no-such-portcullis-config.json"));
            Environment.SetEnvironmentVariable("PORTCULLIS_REGISTRY_USERNAME", "ci");
            Environment.SetEnvironmentVariable("PORTCULLIS_REGISTRY_PASSWORD", "s3cret");
            Environment.SetEnvironmentVariable("PORTCULLIS_REGISTRY", null);
            Assert.Null(none.Find("registry.test"));
            Environment.SetEnvironmentVariable("PORTCULLIS_REGISTRY", "registry.test");
            Assert.Equal(new RegistryCredentials("ci", "s3cret"), none.Find("registry.test"));
            Assert.Null(none.Find("evil.test"));
        }
        finally
        {
            foreach (var (name, value) in saved)
                Environment.SetEnvironmentVariable(name, value);
        }
    }

    [Fact]
    public async Task A_body_that_trickles_after_its_headers_times_out()
    {
        var handler = new ScriptedRegistry(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new TrickleStream()) });
        using var client = new RegistryClient(new RegistryOptions { Credentials = _ => null, InsecureRegistries = ["registry.test"], RequestTimeout = TimeSpan.FromMilliseconds(300) }, handler);
        var e = await Assert.ThrowsAsync<OciException>(() => client.PullBlobAsync(Repo, Subject, 1 << 20, TestContext.Current.CancellationToken));
        Assert.Contains("did not arrive within", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_endless_error_body_is_not_read_whole()
    {
        var handler = new ScriptedRegistry(_ => new HttpResponseMessage(HttpStatusCode.BadRequest) { Content = new StreamContent(new TrickleStream(fast: true)) });
        using var client = new RegistryClient(new RegistryOptions { Credentials = _ => null, InsecureRegistries = ["registry.test"], MaxAttempts = 1 }, handler);
        var e = await Assert.ThrowsAsync<OciException>(() => client.BlobExistsAsync(Repo, Subject, TestContext.Current.CancellationToken));
        Assert.Contains("HTTP 400", e.Message, StringComparison.Ordinal);
    }

    // A body without end: one byte every 100 ms, or (fast) as much as asked, forever.
    private sealed class TrickleStream(bool fast = false) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => 0; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (fast)
            {
                buffer.Span.Fill((byte)'x');
                return buffer.Length;
            }
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            buffer.Span[0] = (byte)'x';
            return 1;
        }
    }
}
