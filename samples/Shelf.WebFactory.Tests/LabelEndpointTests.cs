using Microsoft.AspNetCore.Mvc.Testing;

namespace Shelf.WebFactory.Tests;

public class LabelEndpointTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    [Fact]
    public async Task Posting_a_label_links_it()
    {
        using var client = factory.CreateClient();
        var response = await client.PostAsync("/label/jam", null);
        response.EnsureSuccessStatusCode();
        Assert.EndsWith("jam", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
