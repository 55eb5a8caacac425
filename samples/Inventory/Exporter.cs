using System.IO.Compression;
using System.Text;

namespace Inventory;

/// <summary>Exports the items as gzipped CSV: written to a temporary file, then renamed into the export directory, so readers never see half a file.</summary>
public sealed class Exporter(string directory)
{
    public async Task<string> ExportAsync(IEnumerable<Item> items, CancellationToken cancel)
    {
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".export-{Guid.NewGuid():N}.tmp");
        await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
        await using (var gzip = new GZipStream(file, CompressionLevel.Optimal))
        await using (var writer = new StreamWriter(gzip, Encoding.UTF8))
        {
            await writer.WriteLineAsync("id,name,quantity");
            foreach (var item in items)
                await writer.WriteLineAsync($"{item.Id},{item.Name.Replace(',', ' ')},{item.Quantity}");
        }
        var final = Path.Combine(directory, $"items-{DateTime.UtcNow:yyyyMMddHHmmssfff}.csv.gz");
        File.Move(temp, final);
        return final;
    }
}
