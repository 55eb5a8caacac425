using System.Security.Cryptography;

namespace Workload.Tests;

public sealed class ThreadTests
{
    [Fact]
    public void Parallel_hashing_agrees_with_sequential()
    {
        var blocks = Enumerable.Range(0, 64).Select(i => Enumerable.Repeat((byte)i, 64 * 1024).ToArray()).ToArray();
        var parallel = new byte[blocks.Length][];
        Parallel.For(0, blocks.Length, i => parallel[i] = SHA256.HashData(blocks[i]));
        Assert.Equal(blocks.Select(SHA256.HashData), parallel);
    }

    [Fact]
    public async Task Tasks_hand_work_to_each_other()
    {
        var channel = System.Threading.Channels.Channel.CreateUnbounded<int>();
        var consumer = Task.Run(async () =>
        {
            var sum = 0;
            await foreach (var n in channel.Reader.ReadAllAsync())
                sum += n;
            return sum;
        });
        for (var i = 1; i <= 10_000; i++)
            await channel.Writer.WriteAsync(i, TestContext.Current.CancellationToken);
        channel.Writer.Complete();
        Assert.Equal(50_005_000, await consumer);
    }
}
