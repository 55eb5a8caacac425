using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Portcullis.Runtime.Kubernetes;

namespace Portcullis.Runtime.Tests;

/// <summary>
/// A FAKE API server over HTTP, so the real client (<see cref="KubernetesClusterApi"/> on KubernetesClient)
/// is exercised on the wire: Kubernetes REST paths (core /api/v1 and /apis/GROUP/VERSION, namespaced and
/// cluster-scoped), list paging with limit/continue, watch streams, JSON Patch, Status errors with their
/// HTTP codes, /version. Behind it, the in-memory API keeps the objects.
/// </summary>
public sealed class ApiServerFacade : IAsyncDisposable
{
    private readonly WebApplication _app;

    public ApiServerFacade(InMemoryClusterApi backend)
    {
        Backend = backend;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.MapGet("/version", () => Results.Json(new { major = "1", minor = "32+", gitVersion = "v1.32.0-fake" }));
        _app.Map("/{**path}", HandleAsync);
        _app.StartAsync().GetAwaiter().GetResult();
        Url = _app.Urls.First();
    }

    public InMemoryClusterApi Backend { get; }
    public string Url { get; }
    public List<string> Seen { get; } = [];

    /// <summary>The real client, configured as from a kubeconfig pointing here.</summary>
    public KubernetesClusterApi Client() => new(new k8s.Kubernetes(new KubernetesClientConfiguration { Host = Url }));

    private async Task HandleAsync(HttpContext http)
    {
        var path = http.Request.Path.Value!.Trim('/').Split('/');
        lock (Seen)
            Seen.Add($"{http.Request.Method} {http.Request.Path}{http.Request.QueryString}");
        // api/v1[/namespaces/NS]/PLURAL[/NAME] or apis/GROUP/VERSION[/namespaces/NS]/PLURAL[/NAME]
        var i = path[0] == "api" ? 2 : 3;
        var group = path[0] == "api" ? "" : path[1];
        string? ns = null;
        if (path.Length > i + 1 && path[i] == "namespaces")
        {
            ns = path[i + 1];
            i += 2;
        }
        var plural = path[i];
        var name = path.Length > i + 1 ? path[i + 1] : null;
        var type = ResourceKind.All.Single(k => k.Kind.Group == group && k.Kind.Plural == plural).Type;
        try
        {
            var result = await (Task<object?>)typeof(ApiServerFacade).GetMethod(nameof(DispatchAsync), BindingFlags.NonPublic | BindingFlags.Instance)!
                .MakeGenericMethod(type).Invoke(this, [http, ns, name])!;
            if (result is not null)
                await Write(http, 200, KubernetesJson.Serialize(result));
        }
        catch (ClusterApiException e)
        {
            await Write(http, (int)e.Status, new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["status"] = "Failure", ["message"] = e.Message, ["code"] = (int)e.Status }.ToJsonString());
        }
    }

    private async Task<object?> DispatchAsync<T>(HttpContext http, string? ns, string? name) where T : class, IKubernetesObject<k8s.Models.V1ObjectMeta>
    {
        var query = http.Request.Query;
        var body = await new StreamReader(http.Request.Body).ReadToEndAsync();
        switch (http.Request.Method)
        {
            case "GET" when name is null && query["watch"] == "true":
                http.Response.ContentType = "application/json";
                await http.Response.StartAsync();
                await foreach (var changed in Backend.ChangesAsync<T>(query["labelSelector"], http.RequestAborted))
                {
                    var line = new JsonObject { ["type"] = "MODIFIED", ["object"] = new JsonObject { ["apiVersion"] = ResourceKind.Of<T>().ApiVersion, ["kind"] = ResourceKind.Of<T>().Kind, ["metadata"] = new JsonObject { ["name"] = changed } } }.ToJsonString() + "\n";
                    await http.Response.WriteAsync(line, http.RequestAborted);
                    await http.Response.Body.FlushAsync(http.RequestAborted);
                }
                return null;
            case "GET" when name is null:
                {
                    var all = await Backend.ListAsync<T>(ns, query["labelSelector"].FirstOrDefault());
                    var start = int.TryParse(query["continue"], CultureInfo.InvariantCulture, out var c) ? c : 0;
                    var limit = int.TryParse(query["limit"], CultureInfo.InvariantCulture, out var l) ? l : all.Count;
                    var page = all.Skip(start).Take(limit).ToList();
                    var next = start + page.Count < all.Count ? (start + page.Count).ToString(CultureInfo.InvariantCulture) : null;
                    return new ResourceList<T> { ApiVersion = ResourceKind.Of<T>().ApiVersion, Kind = ResourceKind.Of<T>().Kind + "List", Items = page, Metadata = new() { ContinueProperty = next } };
                }
            case "GET":
                return await Backend.GetAsync<T>(ns, name!) ?? throw new ClusterApiException(HttpStatusCode.NotFound, $"{name} not found");
            case "POST":
                return await Backend.CreateAsync(KubernetesJson.Deserialize<T>(body));
            case "PUT":
                return await Backend.ReplaceAsync(KubernetesJson.Deserialize<T>(body));
            case "PATCH":
                if (http.Request.ContentType?.StartsWith("application/json-patch+json", StringComparison.Ordinal) != true)
                    throw new ClusterApiException(HttpStatusCode.UnsupportedMediaType, "only JSON Patch here: " + http.Request.ContentType);
                var ops = JsonNode.Parse(body)!.AsArray().Select(o => new PatchOperation(o!["op"]!.GetValue<string>(), o["path"]!.GetValue<string>(), o["value"]?.DeepClone())).ToList();
                await Backend.PatchAsync<T>(ns, name!, ops);
                return await Backend.GetAsync<T>(ns, name!);
            case "DELETE":
                await Backend.DeleteAsync<T>(ns, name!);
                return new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["status"] = "Success" };
            default:
                throw new ClusterApiException(HttpStatusCode.MethodNotAllowed, http.Request.Method);
        }
    }

    private static async Task Write(HttpContext http, int status, string json)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(json, Encoding.UTF8);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
