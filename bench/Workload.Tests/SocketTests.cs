using System.Net;
using System.Net.Sockets;

namespace Workload.Tests;

public sealed class SocketTests
{
    [Fact]
    public async Task A_loopback_echo_server_answers_every_message()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var server = Task.Run(async () =>
        {
            using var peer = await listener.AcceptTcpClientAsync(TestContext.Current.CancellationToken);
            var stream = peer.GetStream();
            var buffer = new byte[256];
            int n;
            while ((n = await stream.ReadAsync(buffer, TestContext.Current.CancellationToken)) > 0)
                await stream.WriteAsync(buffer.AsMemory(0, n), TestContext.Current.CancellationToken);
        }, TestContext.Current.CancellationToken);

        using (var client = new TcpClient())
        {
            await client.ConnectAsync(IPAddress.Loopback, port, TestContext.Current.CancellationToken);
            var stream = client.GetStream();
            var reply = new byte[5];
            for (var i = 0; i < 200; i++)
            {
                await stream.WriteAsync("hello"u8.ToArray(), TestContext.Current.CancellationToken);
                await stream.ReadExactlyAsync(reply, TestContext.Current.CancellationToken);
                Assert.Equal("hello"u8.ToArray(), reply);
            }
        }
        await server;
    }
}
