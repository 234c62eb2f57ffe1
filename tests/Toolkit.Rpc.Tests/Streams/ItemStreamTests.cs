using Toolkit.Rpc.Tests.Endpoints;
using Toolkit.Rpc.Tests.Infrastructure;

namespace Toolkit.Rpc.Tests.Streams;

/// <summary>
/// Gateway methods that return <c>IAsyncEnumerable&lt;T&gt;</c>, in-process and across a connection: every item in
/// order, a slow consumer bounding the producer, cancellation reaching the producer, a producer's exception reaching
/// the consumer, a stopped endpoint ending the stream.
/// </summary>
public sealed class ItemStreamTests
{
    [Theory]
    [InlineData(CallPath.Direct)]
    [InlineData(CallPath.Serialized)]
    [InlineData(CallPath.Remote)]
    public async Task Every_item_arrives_in_order_and_the_stream_ends(CallPath path)
    {
        await using StreamRig rig = await StreamRig.StartAsync(path);

        List<StreamPayload> payloads = await Eventually.Within(Collect(rig.Gateway.PayloadsAsync(5_000, 100)));

        Assert.Equal(Enumerable.Range(0, 5_000), payloads.Select(p => p.Number));
        Assert.All(payloads, p => Assert.True(p.Data.Length == 100 && p.Data.All(b => b == (byte)p.Number)));
        Assert.Empty(await Eventually.Within(Collect(rig.Gateway.PayloadsAsync(0, 1))));
        Assert.True((await rig.Gateway.StatsAsync()).MainThreadOnly, "a producer ran off its endpoint's main thread");
    }

    [Theory]
    [InlineData(CallPath.Direct)]
    [InlineData(CallPath.Remote)]
    public async Task A_slow_consumer_of_a_million_items_bounds_what_the_producer_runs_ahead(CallPath path)
    {
        const int Window = 1024;
        await using StreamRig rig = await StreamRig.StartAsync(path, Window);
        long consumed = 0;
        long maxAhead = 0;

        await foreach (int item in rig.Gateway.CountAsync(1_000_000, default))
        {
            Assert.Equal(consumed, item);
            consumed++;
            maxAhead = Math.Max(maxAhead, rig.Endpoint.Produced - consumed);
            if (consumed % 2048 == 0)
            {
                // Slower than the producer: it must wait for credit.
                await Task.Delay(1);
            }
        }

        Assert.Equal(1_000_000, consumed);
        Assert.Equal(1_000_000, rig.Endpoint.Produced);
        Assert.InRange(maxAhead, Window / 2, Window);
    }

    [Theory]
    [InlineData(CallPath.Direct)]
    [InlineData(CallPath.Remote)]
    public async Task Breaking_out_of_the_loop_stops_the_producer(CallPath path)
    {
        await using StreamRig rig = await StreamRig.StartAsync(path);

        await foreach (int item in rig.Gateway.EndlessAsync())
        {
            if (item == 10)
            {
                break;
            }
        }

        await Eventually.True(() => rig.Endpoint.Cancelled == 1 && rig.Endpoint.Finished == 1, "the producer saw the cancellation and ran its finally block");
        long produced = rig.Endpoint.Produced;
        Assert.InRange(produced, 11, 11 + new RpcServiceOptions().ItemStreamWindow);
    }

    [Theory]
    [InlineData(CallPath.Direct)]
    [InlineData(CallPath.Remote)]
    public async Task A_token_given_to_the_method_or_to_the_enumerator_reaches_the_producer(CallPath path)
    {
        await using StreamRig rig = await StreamRig.StartAsync(path);

        using CancellationTokenSource byMethod = new();
        int seen = 0;
        OperationCanceledException first = await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (int item in rig.Gateway.CountAsync(int.MaxValue, byMethod.Token))
            {
                if (++seen == 5_000)
                {
                    byMethod.Cancel();
                }
            }
        });
        Assert.Contains("cancelled", first.Message, StringComparison.Ordinal);

        using CancellationTokenSource byEnumerator = new();
        seen = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (int item in rig.Gateway.EndlessAsync().WithCancellation(byEnumerator.Token))
            {
                if (++seen == 5)
                {
                    byEnumerator.Cancel();
                }
            }
        });

        await Eventually.True(() => rig.Endpoint.Finished == 2, "both producers ran their finally blocks");
        Assert.True(rig.Endpoint.Cancelled >= 1, "the endless producer saw its enumerator's token");
    }

    [Theory]
    [InlineData(CallPath.Direct)]
    [InlineData(CallPath.Serialized)]
    [InlineData(CallPath.Remote)]
    public async Task A_producer_exception_reaches_the_consumer_after_the_items_before_it(CallPath path)
    {
        await using StreamRig rig = await StreamRig.StartAsync(path);
        List<int> items = [];

        RpcRemoteException error = await Assert.ThrowsAsync<RpcRemoteException>(async () =>
        {
            await foreach (int item in rig.Gateway.FailAfterAsync(3, "the producer broke"))
            {
                items.Add(item);
            }
        });

        Assert.Equal([0, 1, 2], items);
        Assert.Equal((typeof(InvalidOperationException).FullName, "the producer broke"), (error.RemoteType, error.RemoteMessage));
        Assert.Contains(nameof(StreamEndpoint.FailAfterAsync), error.RemoteStackTrace, StringComparison.Ordinal);

        StreamExhaustedException fault = await Assert.ThrowsAsync<StreamExhaustedException>(async () =>
        {
            await foreach (int item in rig.Gateway.ExhaustAfterAsync(2))
            {
            }
        });
        Assert.Equal((2, "exhausted after 2 items"), (fault.After, fault.Message));
    }

    [Theory]
    [InlineData(CallPath.Direct)]
    [InlineData(CallPath.Remote)]
    public async Task Stopping_the_endpoint_ends_a_waiting_consumer_at_once(CallPath path)
    {
        await using StreamRig rig = await StreamRig.StartAsync(path);
        await using IAsyncEnumerator<int> items = rig.Gateway.StallAfterAsync(2).GetAsyncEnumerator();
        Assert.True(await items.MoveNextAsync());
        Assert.True(await items.MoveNextAsync());
        ValueTask<bool> waiting = items.MoveNextAsync();
        Assert.False(waiting.IsCompleted);

        await rig.Server.StopEndpointAsync("streams");

        RpcEndpointUnavailableException stopped = await Assert.ThrowsAsync<RpcEndpointUnavailableException>(async () => await Eventually.Within(waiting.AsTask()));
        Assert.Contains("streams", stopped.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_item_over_the_frame_limit_ends_the_stream_with_a_too_large_error()
    {
        await using StreamRig rig = await StreamRig.StartAsync(CallPath.Remote, maxFrameSize: 256 * 1024);
        Assert.Equal(3, (await Eventually.Within(Collect(rig.Gateway.PayloadsAsync(3, 100_000)))).Count);

        RpcMessageTooLargeException error = await Assert.ThrowsAsync<RpcMessageTooLargeException>(
            () => Eventually.Within(Collect(rig.Gateway.PayloadsAsync(2, 300_000))));

        Assert.Contains("PayloadsAsync", error.Message, StringComparison.Ordinal);
        Assert.Equal(256 * 1024, error.Limit);
    }

    [Fact]
    public async Task An_endpoint_of_a_client_mode_service_streams_to_the_listening_service_over_the_connection_the_client_opened()
    {
        await using StreamRig rig = await StreamRig.StartAsync(CallPath.Remote);
        StreamEndpoint clientSide = new();
        await rig.Client!.StartEndpointAsync(clientSide, "client-streams");

        long sum = await Eventually.Within(rig.Gateway.SumFromAsync(rig.Client.GetGateway<IStreamGateway>("client-streams"), 100_000));

        Assert.Equal(100_000L * 99_999 / 2, sum);
        Assert.Equal(100_000, clientSide.Produced);
        Assert.True((await rig.Gateway.StatsAsync()).MainThreadOnly, "the consuming endpoint ran off its main thread");
    }

    [Fact]
    public void The_contract_names_a_stream_result()
    {
        IReadOnlyList<string> contract = Rpc.Infrastructure.RpcGatewayRegistry.Get<IStreamGateway>().Contract;

        Assert.Contains("method CountAsync(int) -> stream of int", contract);
        Assert.Contains($"method ExhaustAfterAsync(int) -> stream of int throws {typeof(StreamExhaustedException).FullName}", contract);
        Assert.Contains($"method PayloadsAsync(int, int) -> stream of {typeof(StreamPayload).FullName}", contract);
    }

    private static async Task<List<T>> Collect<T>(IAsyncEnumerable<T> items)
    {
        List<T> list = [];
        await foreach (T item in items)
        {
            list.Add(item);
        }

        return list;
    }
}
