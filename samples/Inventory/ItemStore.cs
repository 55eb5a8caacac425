using Microsoft.Data.Sqlite;

namespace Inventory;

/// <summary>Items in one SQLite database file (WAL journal), one connection per operation as ADO.NET pools them.</summary>
public sealed class ItemStore
{
    private readonly string _connectionString;

    public ItemStore(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate }.ToString();
        using var db = Open();
        Execute(db, "PRAGMA journal_mode=WAL");
        Execute(db, "CREATE TABLE IF NOT EXISTS items(id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, quantity INTEGER NOT NULL)");
    }

    public IReadOnlyList<Item> All()
    {
        using var db = Open();
        using var command = db.CreateCommand();
        command.CommandText = "SELECT id, name, quantity FROM items ORDER BY id";
        using var reader = command.ExecuteReader();
        var items = new List<Item>();
        while (reader.Read())
            items.Add(new Item(reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2)));
        return items;
    }

    public Item Add(NewItem item)
    {
        using var db = Open();
        using var command = db.CreateCommand();
        command.CommandText = "INSERT INTO items(name, quantity) VALUES ($name, $quantity) RETURNING id";
        command.Parameters.AddWithValue("$name", item.Name);
        command.Parameters.AddWithValue("$quantity", item.Quantity);
        return new Item((long)command.ExecuteScalar()!, item.Name, item.Quantity);
    }

    public bool Delete(long id)
    {
        using var db = Open();
        using var command = db.CreateCommand();
        command.CommandText = "DELETE FROM items WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        return command.ExecuteNonQuery() == 1;
    }

    private SqliteConnection Open()
    {
        var db = new SqliteConnection(_connectionString);
        db.Open();
        return db;
    }

    private static void Execute(SqliteConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
