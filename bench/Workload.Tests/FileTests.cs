namespace Workload.Tests;

public sealed class FileTests
{
    [Theory]
    [InlineData(200)]
    [InlineData(400)]
    public void Files_written_are_read_back(int count)
    {
        var dir = Directory.CreateTempSubdirectory("workload-").FullName;
        try
        {
            var payload = new byte[4096];
            Random.Shared.NextBytes(payload);
            for (var i = 0; i < count; i++)
                File.WriteAllBytes(Path.Combine(dir, $"f{i}.bin"), payload);
            foreach (var file in Directory.EnumerateFiles(dir))
                Assert.Equal(payload, File.ReadAllBytes(file));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
