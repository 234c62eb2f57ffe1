using System.Diagnostics;
using Toolkit.Rpc.Tests.Infrastructure;
using Toolkit.Rpc.Tests.Streams;

namespace Toolkit.Rpc.Tests.Processes;

/// <summary>Item streams from a producer in a process of its own, killed with SIGKILL mid-stream.</summary>
public sealed class ItemStreamProcessTests
{
    [Fact]
    public async Task Killing_the_producing_process_ends_a_waiting_consumer_at_once_with_a_connection_error()
    {
        await using TestServerProcess server = await TestServerProcess.StartAsync("--streams");
        await using RpcService client = await RpcService.StartAsync();
        IStreamGateway gateway = await client.ConnectAsync<IStreamGateway>($"rpc://{server.Address}/streams");
        await using IAsyncEnumerator<int> items = gateway.StallAfterAsync(3).GetAsyncEnumerator();
        for (int i = 0; i < 3; i++)
        {
            Assert.True(await Eventually.Within(items.MoveNextAsync().AsTask()));
            Assert.Equal(i, items.Current);
        }

        ValueTask<bool> waiting = items.MoveNextAsync();
        Assert.False(waiting.IsCompleted);

        Stopwatch elapsed = Stopwatch.StartNew();
        await server.KillAsync();
        RpcConnectionException error = await Assert.ThrowsAsync<RpcConnectionException>(async () => await Eventually.Within(waiting.AsTask()));

        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(3), $"the stream ended {elapsed.Elapsed} after the kill, not at once");
        Assert.Contains($"IStreamGateway.StallAfterAsync on endpoint 'streams' at rpc://{server.Address}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Killing_the_producing_process_mid_flow_ends_an_enumerating_consumer_with_a_connection_error()
    {
        await using TestServerProcess server = await TestServerProcess.StartAsync("--streams");
        await using RpcService client = await RpcService.StartAsync();
        IStreamGateway gateway = await client.ConnectAsync<IStreamGateway>($"rpc://{server.Address}/streams");
        long consumed = 0;

        RpcConnectionException error = await Assert.ThrowsAsync<RpcConnectionException>(() => Eventually.Within(ConsumeAsync()));

        Assert.True(consumed >= 10_000, $"only {consumed} items before the kill");
        Assert.Contains("CountAsync", error.Message, StringComparison.Ordinal);

        async Task ConsumeAsync()
        {
            await foreach (int item in gateway.CountAsync(int.MaxValue, default))
            {
                Assert.Equal(consumed, item);
                if (++consumed == 10_000)
                {
                    await server.KillAsync();
                }
            }
        }
    }
}
