using System.Net;
using System.Net.Http.Json;
using Inventory;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Inventory.Tests;

/// <summary>The API hosted in memory (TestServer: no sockets), as most ASP.NET Core apps are tested. /export is not tested.</summary>
public sealed class InventoryTests : IClassFixture<InventoryTests.Factory>, IDisposable
{
    private readonly HttpClient _http;

    public InventoryTests(Factory factory) => _http = factory.CreateClient();

    public sealed class Factory : WebApplicationFactory<Program>
    {
        private readonly string _data = Directory.CreateTempSubdirectory("inventory-tests-").FullName;

        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder) =>
            builder.UseSetting("Inventory:DataDirectory", _data);

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_data, recursive: true);
        }
    }

    [Fact]
    public async Task Items_are_added_listed_and_deleted()
    {
        var cancel = TestContext.Current.CancellationToken;
        var created = await _http.PostAsJsonAsync("/items", new NewItem("bolts", 40), cancel);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var item = (await created.Content.ReadFromJsonAsync<Item>(cancel))!;
        Assert.Contains(await _http.GetFromJsonAsync<Item[]>("/items", cancel) ?? [], i => i.Id == item.Id && i.Name == "bolts");
        Assert.Equal(HttpStatusCode.NoContent, (await _http.DeleteAsync($"/items/{item.Id}", cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.DeleteAsync($"/items/{item.Id}", cancel)).StatusCode);
    }

    [Fact]
    public async Task Health_is_reported() =>
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync("/health", TestContext.Current.CancellationToken)).StatusCode);

    public void Dispose() => _http.Dispose();
}
