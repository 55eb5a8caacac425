using System.Net;
using System.Text;
using Portcullis.Oci.Model;
using Portcullis.Oci.References;
using Portcullis.Oci.Transport;

namespace Portcullis.Oci.Tests;

/// <summary>
/// A registry that floods a referrers listing (finding 6 of the runtime review): 100 Link pages of 4 MiB each.
/// Against <see cref="ScriptedRegistry"/>, an in-process fake: no installable registry has the referrers API.
/// Memory is judged by what the client reads and keeps, not by time.
/// </summary>
public sealed class ReferrerFloodTests
{
    private const string Seccomp = "application/vnd.cncf.seccomp-profile.config.v1+json";
    private const int Pages = 100;
    private static readonly Digest Subject = Digest.Sha256("image"u8);
    private static readonly ImageReference Repo = ImageReference.Parse("registry.test/shop/app:v1");
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static string Entry(string name, string created) =>
        $$$"""{"mediaType":"{{{MediaTypes.OciManifest}}}","digest":"{{{Digest.Sha256(Encoding.UTF8.GetBytes(name))}}}","size":1,"artifactType":"{{{Seccomp}}}","annotations":{"org.opencontainers.image.created":"{{{created}}}"}}""";

    // One page just under 4 MiB: old entries, and on the pages given one that is newer than all of them.
    private static byte[] Page(int page, string? newest)
    {
        var sb = new StringBuilder($$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciIndex}}","manifests":[""");
        if (newest is not null)
            sb.Append(Entry("newest-" + page, newest)).Append(',');
        var old = Entry("old-" + page, "2020-01-01T00:00:00.000Z");
        while (sb.Length + old.Length + 8 < 4 * 1024 * 1024 - 1024)
            sb.Append(old).Append(',');
        sb.Append(old).Append("]}");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    [Fact]
    public async Task A_flood_of_100_pages_of_4_MiB_is_read_within_the_byte_budget_and_only_the_newest_are_kept()
    {
        var plain = Page(0, null);
        var second = Page(2, "2030-01-01T00:00:00.000Z");
        var late = Page(60, "2031-01-01T00:00:00.000Z");
        long served = 0;
        var pages = new List<int>();
        var handler = new ScriptedRegistry(r =>
        {
            var query = r.RequestUri!.Query;
            var page = query.Contains("page=", StringComparison.Ordinal) ? int.Parse(query[(query.IndexOf("page=", StringComparison.Ordinal) + 5)..], System.Globalization.CultureInfo.InvariantCulture) : 1;
            lock (pages)
                pages.Add(page);
            var body = page == 2 ? second : page == 60 ? late : plain;
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new CountingStream(body, n => Interlocked.Add(ref served, n))) };
            response.Content.Headers.ContentType = new(MediaTypes.OciIndex);
            if (page < Pages)
                response.Headers.Add("Link", $"</v2/shop/app/referrers/{Subject}?artifactType=x&page={page + 1}>; rel=\"next\"");
            return response;
        });
        var options = new RegistryOptions { Credentials = _ => null, InsecureRegistries = ["registry.test"] };
        using var client = new RegistryClient(options, handler);

        var found = await client.ListReferrersAsync(Repo, Subject, Seccomp, Cancel);

        TestContext.Current.SendDiagnosticMessage($"pages requested: {pages.Count}, bytes read: {served}, entries kept: {found.Count}");
        Assert.True(served <= options.MaxReferrerBytes + 256 * 1024, $"{served} bytes read");
        Assert.True(pages.Count <= 3, $"{pages.Count} pages requested");
        Assert.Equal(options.MaxReferrersKept, found.Count);
        // The newest seen leads, although it came on a later page than thousands of older ones.
        Assert.Equal("2030-01-01T00:00:00.000Z", found[0].Annotations["org.opencontainers.image.created"]);
        Assert.DoesNotContain(found, f => f.Annotations["org.opencontainers.image.created"].StartsWith("2031", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Listings_beyond_the_shared_limit_wait_their_turn()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var arrived = new SemaphoreSlim(0);
        var inFlight = 0;
        var most = 0;
        var handler = new AsyncRegistry(async () =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref most, now);
            arrived.Release();
            await gate.Task;
            Interlocked.Decrement(ref inFlight);
            return ScriptedRegistry.Json($$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciIndex}}","manifests":[{{Entry("a", "2024-01-01T00:00:00.000Z")}}]}""", MediaTypes.OciIndex);
        });
        var options = new RegistryOptions { Credentials = _ => null, InsecureRegistries = ["registry.test"], ReferrerListings = new SemaphoreSlim(1) };
        using var first = new RegistryClient(options, handler);
        using var second = new RegistryClient(options with { MaxAttempts = 1 }, handler);
        var listings = new[] { first, second, first }.Select(c => c.ListReferrersAsync(Repo, Subject, Seccomp, Cancel)).ToList();
        await arrived.WaitAsync(Cancel);
        Assert.Equal(0, options.ReferrerListings.CurrentCount);
        gate.SetResult();
        foreach (var listing in listings)
            Assert.Single(await listing);
        Assert.Equal(1, most);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    /// <summary>A fake registry whose answers wait on the test.</summary>
    private sealed class AsyncRegistry(Func<Task<HttpResponseMessage>> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => answer();
    }

    /// <summary>A page body that reports how many bytes the client pulled from it (MemoryStream's async reads go through these).</summary>
    private sealed class CountingStream(byte[] body, Action<int> read) : MemoryStream(body, writable: false)
    {
        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = base.Read(buffer, offset, count);
            read(n);
            return n;
        }

        public override int Read(Span<byte> buffer)
        {
            var n = base.Read(buffer);
            read(n);
            return n;
        }
    }
}
