using Inventory;

var builder = WebApplication.CreateBuilder(args);
var data = builder.Configuration["Inventory:DataDirectory"] ?? Path.Combine(Path.GetTempPath(), "inventory");
builder.Services.AddSingleton(new ItemStore(Path.Combine(data, "inventory.db")));
builder.Services.AddSingleton(new Exporter(Path.Combine(data, "exports")));
builder.Services.AddHealthChecks();

var app = builder.Build();
app.MapHealthChecks("/health");
app.MapGet("/items", (ItemStore store) => store.All());
app.MapPost("/items", (NewItem item, ItemStore store) =>
{
    var created = store.Add(item);
    return Results.Created($"/items/{created.Id}", created);
});
app.MapDelete("/items/{id:long}", (long id, ItemStore store) => store.Delete(id) ? Results.NoContent() : Results.NotFound());

// Not covered by the tests: writes a gzipped export through a temporary file and a rename.
app.MapPost("/export", async (ItemStore store, Exporter exporter, CancellationToken cancel) =>
{
    var path = await exporter.ExportAsync(store.All(), cancel);
    return Results.Ok(new { file = Path.GetFileName(path), bytes = new FileInfo(path).Length });
});

app.Run();

/// <summary>For WebApplicationFactory.</summary>
public partial class Program;
