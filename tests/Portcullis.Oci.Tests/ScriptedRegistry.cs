using System.Net;

namespace Portcullis.Oci.Tests;

/// <summary>
/// An in-process HTTP handler standing in for what no registry installable here does (the referrers API,
/// Bearer token services, throttling, cross-host redirects). It answers by a function and records requests.
/// Fake on purpose: Debian's docker-registry 2.8 has none of these, and the tests that use this say so.
/// </summary>
internal sealed class ScriptedRegistry(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
{
    public List<(HttpMethod Method, Uri Url, string? Authorization)> Requests { get; } = [];

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (Requests)
            Requests.Add((request.Method, request.RequestUri!, request.Headers.Authorization?.ToString()));
        return Task.FromResult(answer(request));
    }

    public static HttpResponseMessage Json(string json, string mediaType = "application/json", HttpStatusCode status = HttpStatusCode.OK)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(json) };
        response.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(mediaType);
        return response;
    }
}
