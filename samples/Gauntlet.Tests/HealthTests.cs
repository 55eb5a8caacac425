using Microsoft.AspNetCore.Mvc.Testing;

namespace Gauntlet.Tests;

/// <summary>The only tests this app has: the two cheapest endpoints, in memory. Everything else goes untested.</summary>
public sealed class HealthTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    [Fact]
    public async Task Health_answers()
    {
        using var client = factory.CreateClient();
        Assert.Equal("ok", await client.GetStringAsync("/health", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Json_names_the_app()
    {
        using var client = factory.CreateClient();
        Assert.Contains("gauntlet", await client.GetStringAsync("/json", TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }
}
