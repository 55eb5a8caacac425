var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();

app.MapGet("/", () => "shelf");
app.MapPost("/label/{item}", (string item) => Shelf.Links.Label(Path.GetTempPath(), item));

app.Run();

public partial class Program;
