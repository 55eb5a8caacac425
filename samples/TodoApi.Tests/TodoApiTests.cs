using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace TodoApi.Tests;

/// <summary>Every endpoint over real HTTP against the real process (no in-memory host: a recorder must see the sockets).</summary>
public sealed class TodoApiTests : IDisposable
{
    private readonly RunningApp _app = new();

    public void Dispose() => _app.Dispose();

    private sealed record TodoDto(Guid Id, string Title, bool Done);

    [Fact]
    public async Task Todos_are_created_read_updated_and_deleted_and_persist_as_files()
    {
        var cancel = TestContext.Current.CancellationToken;
        var created = await _app.Client.PostAsJsonAsync("/todos", new { title = "write profile" }, cancel);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var todo = (await created.Content.ReadFromJsonAsync<TodoDto>(cancel))!;
        Assert.True(File.Exists(Path.Combine(_app.Directory, "data", todo.Id + ".json")));

        Assert.Equal("write profile", (await _app.Client.GetFromJsonAsync<TodoDto>($"/todos/{todo.Id}", cancel))!.Title);
        Assert.Single((await _app.Client.GetFromJsonAsync<TodoDto[]>("/todos", cancel))!);

        var updated = await _app.Client.PutAsJsonAsync($"/todos/{todo.Id}", todo with { Done = true }, cancel);
        Assert.True((await updated.Content.ReadFromJsonAsync<TodoDto>(cancel))!.Done);

        Assert.Equal(HttpStatusCode.NoContent, (await _app.Client.DeleteAsync($"/todos/{todo.Id}", cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _app.Client.GetAsync($"/todos/{todo.Id}", cancel)).StatusCode);
        Assert.Empty((await _app.Client.GetFromJsonAsync<TodoDto[]>("/todos", cancel))!);
    }

    [Fact]
    public async Task The_upstream_call_goes_out_over_http()
    {
        var cancel = TestContext.Current.CancellationToken;
        using var json = JsonDocument.Parse(await _app.Client.GetStringAsync("/upstream", cancel));
        Assert.Equal(200, json.RootElement.GetProperty("status").GetInt32());
        Assert.True(SpinWait.SpinUntil(() => { lock (_app.Log) return _app.Log.Any(l => l.Contains("upstream", StringComparison.Ordinal)); }, 5000));
    }

    [Fact]
    public async Task Settings_are_reloaded_when_the_file_changes()
    {
        var cancel = TestContext.Current.CancellationToken;
        Assert.Contains("hello", await _app.Client.GetStringAsync("/config", cancel), StringComparison.Ordinal);
        await File.WriteAllTextAsync(_app.SettingsFile, """{"Greeting":"bonjour"}""", cancel);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline && !(await _app.Client.GetStringAsync("/config", cancel)).Contains("bonjour", StringComparison.Ordinal))
            await Task.Delay(100, cancel);
        Assert.Contains("bonjour", await _app.Client.GetStringAsync("/config", cancel), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_background_timer_ticks_and_health_answers()
    {
        var cancel = TestContext.Current.CancellationToken;
        Assert.Equal("Healthy", await _app.Client.GetStringAsync("/health", cancel));
        await Task.Delay(700, cancel);
        using var stats = JsonDocument.Parse(await _app.Client.GetStringAsync("/stats", cancel));
        Assert.True(stats.RootElement.GetProperty("beats").GetInt64() >= 2);
    }

    [Fact]
    public void Logs_are_structured_json_on_stdout()
    {
        Assert.True(SpinWait.SpinUntil(() => { lock (_app.Log) return _app.Log.Count > 0; }, 5000));
        string first;
        lock (_app.Log)
            first = _app.Log[0];
        using var line = JsonDocument.Parse(first);
        Assert.True(line.RootElement.TryGetProperty("LogLevel", out _));
    }
}
