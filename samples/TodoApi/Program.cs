using TodoApi;

var builder = WebApplication.CreateBuilder(args);

// Settings that may change while the app runs live in a watched file (mounted as a ConfigMap in a cluster).
var settings = Environment.GetEnvironmentVariable("TODO_SETTINGS") ?? Path.Combine(AppContext.BaseDirectory, "settings.json");
builder.Configuration.AddJsonFile(settings, optional: true, reloadOnChange: true);
builder.Logging.ClearProviders().AddJsonConsole();
builder.Services.AddSingleton(new TodoStore(builder.Configuration["Todo:DataDirectory"] ?? Path.Combine(Path.GetTempPath(), "todos")));
builder.Services.AddSingleton<Heartbeat>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<Heartbeat>());
builder.Services.AddHttpClient("upstream");
builder.Services.AddHealthChecks();

var app = builder.Build();

app.MapHealthChecks("/health");

app.MapGet("/todos", (TodoStore store) => store.All());
app.MapGet("/todos/{id:guid}", (Guid id, TodoStore store) => store.Get(id) is { } todo ? Results.Ok(todo) : Results.NotFound());
app.MapPost("/todos", (NewTodo body, TodoStore store) =>
{
    var todo = store.Save(new Todo(Guid.NewGuid(), body.Title, false));
    return Results.Created($"/todos/{todo.Id}", todo);
});
app.MapPut("/todos/{id:guid}", (Guid id, Todo body, TodoStore store) =>
    store.Get(id) is null ? Results.NotFound() : Results.Ok(store.Save(body with { Id = id })));
app.MapDelete("/todos/{id:guid}", (Guid id, TodoStore store) => store.Delete(id) ? Results.NoContent() : Results.NotFound());

app.MapGet("/upstream", async (IHttpClientFactory factory, IConfiguration config, ILogger<Program> logger) =>
{
    var url = config["Upstream:Url"];
    if (string.IsNullOrEmpty(url))
        return Results.Problem("Upstream:Url is not configured", statusCode: 503);
    using var response = await factory.CreateClient("upstream").GetAsync(url);
    var body = await response.Content.ReadAsStringAsync();
    TodoApi.Log.Upstream(logger, url, (int)response.StatusCode);
    return Results.Ok(new { status = (int)response.StatusCode, length = body.Length });
});

app.MapGet("/config", (IConfiguration config) => new { greeting = config["Greeting"] ?? "hello" });
app.MapGet("/stats", (Heartbeat heartbeat) => new { beats = heartbeat.Beats });

app.Run();

internal sealed record NewTodo(string Title);
