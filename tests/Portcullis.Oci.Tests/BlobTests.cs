using System.Net;
using Portcullis.Oci.References;
using Portcullis.Oci.Transport;

namespace Portcullis.Oci.Tests;

public sealed class BlobTests : IDisposable
{
    private readonly LocalRegistry _registry = LocalRegistry.Start();
    private readonly RegistryClient _client = new(new RegistryOptions { Credentials = _ => null });

    public void Dispose()
    {
        _client.Dispose();
        _registry.Dispose();
    }

    [Fact]
    public async Task A_chunked_upload_arrives_whole()
    {
        var repo = ImageReference.Parse($"{_registry.Host}/chunks/app:v1");
        var content = new byte[200_000];
        Random.Shared.NextBytes(content);
        var descriptor = await _client.PushBlobChunkedAsync(repo, content, "application/octet-stream", 64 * 1024, TestContext.Current.CancellationToken);
        Assert.Equal(content, await _client.PullBlobAsync(repo, descriptor.Digest, content.Length, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_blob_is_mounted_from_another_repository()
    {
        var from = ImageReference.Parse($"{_registry.Host}/team-a/app:v1");
        var to = ImageReference.Parse($"{_registry.Host}/team-b/app:v1");
        var descriptor = await _client.PushBlobAsync(from, "shared layer"u8.ToArray(), "application/octet-stream", TestContext.Current.CancellationToken);
        Assert.False(await _client.BlobExistsAsync(to, descriptor.Digest, TestContext.Current.CancellationToken));
        Assert.True(await _client.MountBlobAsync(to, descriptor.Digest, from.Repository, TestContext.Current.CancellationToken));
        Assert.True(await _client.BlobExistsAsync(to, descriptor.Digest, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_download_over_the_size_cap_is_refused()
    {
        var repo = ImageReference.Parse($"{_registry.Host}/caps/app:v1");
        var descriptor = await _client.PushBlobAsync(repo, new byte[5000], "application/octet-stream", TestContext.Current.CancellationToken);
        var e = await Assert.ThrowsAsync<OciException>(() => _client.PullBlobAsync(repo, descriptor.Digest, 4096, TestContext.Current.CancellationToken));
        Assert.Contains("more than the 4096", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_does_not_answer_in_time_is_a_clear_error()
    {
        using var slow = new RegistryClient(
            new RegistryOptions { Credentials = _ => null, RequestTimeout = TimeSpan.FromMilliseconds(300), MaxAttempts = 1 },
            new SlowHandler(TimeSpan.FromSeconds(5)));
        var e = await Assert.ThrowsAsync<OciException>(() => slow.PingAsync("127.0.0.1:1", TestContext.Current.CancellationToken));
        Assert.Equal("127.0.0.1:1: no answer within 0.3 s", e.Message);
    }

    /// <summary>An in-process server that takes too long (a fake: slowness cannot be asked of docker-registry).</summary>
    private sealed class SlowHandler(TimeSpan delay) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await Task.Delay(delay, cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK);
        }
    }
}
