using System.Text.Json;

namespace TodoApi;

/// <summary>Todos as one JSON file each under the data directory, written through a temp file and a rename.</summary>
public sealed class TodoStore(string directory)
{
    public IEnumerable<Todo> All() =>
        Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, "*.json").Select(Read).OfType<Todo>().OrderBy(t => t.Title, StringComparer.Ordinal)
            : [];

    public Todo? Get(Guid id) => Read(PathOf(id));

    public Todo Save(Todo todo)
    {
        Directory.CreateDirectory(directory);
        var temp = PathOf(todo.Id) + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(todo));
        File.Move(temp, PathOf(todo.Id), overwrite: true);
        return todo;
    }

    public bool Delete(Guid id)
    {
        var path = PathOf(id);
        if (!File.Exists(path))
            return false;
        File.Delete(path);
        return true;
    }

    private string PathOf(Guid id) => Path.Combine(directory, id + ".json");

    private static Todo? Read(string path) =>
        File.Exists(path) ? JsonSerializer.Deserialize<Todo>(File.ReadAllText(path)) : null;
}
