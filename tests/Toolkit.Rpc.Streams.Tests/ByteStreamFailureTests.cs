namespace Toolkit.Rpc.Streams.Tests;

/// <summary>What each side sees when a byte stream does not end well: a cut connection, a failing source, a receiver that leaves, a cancelled call.</summary>
public sealed class ByteStreamFailureTests
{
    [Theory]
    [InlineData(CallerMode.ClientMode)]
    [InlineData(CallerMode.Listening)]
    public async Task A_result_cut_off_mid_stream_is_an_error_for_its_reader_not_a_short_read(CallerMode mode)
    {
        await using BytesRig rig = await BytesRig.StartAsync(mode);
        await using Stream result = await Within.Bound(rig.Gateway.ProduceEndlessAsync());
        byte[] buffer = new byte[1024 * 1024];
        await result.ReadExactlyAsync(buffer).AsTask().WaitAsync(Within.Limit);

        BytesRig.CutConnections(rig.Server);
        IOException error = await Assert.ThrowsAsync<IOException>(() => Within.Bound(DrainAsync(result)));

        Assert.Contains("was cut off after", error.Message, StringComparison.Ordinal);
        await Within.Bound(rig.Endpoint.LastProduced!.Disposed);
    }

    [Fact]
    public async Task An_argument_cut_off_mid_stream_is_an_error_for_the_endpoint_reading_it()
    {
        await using BytesRig rig = await BytesRig.StartAsync();
        PatternStream source = new(PatternStream.Endless);
        Task call = rig.Gateway.HoldWithoutTokenAsync(source);
        await Within.Bound(rig.Endpoint.Holding);

        BytesRig.CutConnections(rig.Caller);

        Exception? seen = await Within.Bound(rig.Endpoint.Held);
        IOException error = Assert.IsType<IOException>(seen);
        Assert.Contains("A Stream from", error.Message, StringComparison.Ordinal);
        Assert.Contains("was cut off after", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<RpcConnectionException>(() => Within.Bound(call));
        await Within.Bound(source.Disposed);
    }

    [Fact]
    public async Task A_source_that_fails_on_the_sender_fails_its_reader_with_the_reason()
    {
        await using BytesRig rig = await BytesRig.StartAsync();
        await using Stream result = await Within.Bound(rig.Gateway.ProduceFailingAsync(300_000));

        IOException error = await Assert.ThrowsAsync<IOException>(() => Within.Bound(PatternStream.VerifyAsync(result)));

        Assert.Contains("failed on its sender's side after 300,000 bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("the pattern source broke at byte 300000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reader_that_leaves_early_makes_the_sender_let_go_of_its_source()
    {
        await using BytesRig rig = await BytesRig.StartAsync();
        Stream result = await Within.Bound(rig.Gateway.ProduceEndlessAsync());
        byte[] buffer = new byte[100];
        await result.ReadExactlyAsync(buffer).AsTask().WaitAsync(Within.Limit);
        PatternStream.Check(buffer, 0);

        await result.DisposeAsync();

        await Within.Bound(rig.Endpoint.LastProduced!.Disposed);
        Assert.Equal(42, await Within.Bound(rig.Gateway.PingAsync(41)));
    }

    [Fact]
    public async Task Cancelling_a_call_stops_the_endpoint_reading_and_the_sender_lets_go_of_its_source()
    {
        await using BytesRig rig = await BytesRig.StartAsync();
        PatternStream source = new(PatternStream.Endless);
        using CancellationTokenSource cancellation = new();
        Task call = rig.Gateway.HoldAsync(source, cancellation.Token);
        await Within.Bound(rig.Endpoint.Holding);

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Within.Bound(call));
        Assert.IsAssignableFrom<OperationCanceledException>(await Within.Bound(rig.Endpoint.Held));
        await Within.Bound(source.Disposed);
    }

    [Fact]
    public async Task A_cancelled_read_leaves_the_stream_usable_and_disposing_it_releases_the_source()
    {
        await using BytesRig rig = await BytesRig.StartAsync();
        Stream result = await Within.Bound(rig.Gateway.ProduceStalledAsync());
        using CancellationTokenSource cancellation = new();
        ValueTask<int> pending = result.ReadAsync(new byte[16], cancellation.Token);
        Assert.False(pending.IsCompleted);

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Within.Bound(pending.AsTask()));
        Assert.False(rig.Endpoint.LastStalled!.Disposed.IsCompleted);
        await result.DisposeAsync();
        await Within.Bound(rig.Endpoint.LastStalled.Disposed);
    }

    [Fact]
    public async Task A_stream_nobody_takes_is_given_up_after_the_unclaimed_timeout()
    {
        MultiplexedByteStreams streams = new() { UnclaimedTimeout = TimeSpan.FromMilliseconds(300) };
        await using BytesRig rig = await BytesRig.StartAsync(callerStreams: streams);
        IBytesGateway missing = rig.Caller.GetRemoteGateway<IBytesGateway>($"rpc://{rig.Server.Address}/no-such-endpoint");
        PatternStream source = new(1000);

        await Assert.ThrowsAsync<RpcEndpointNotFoundException>(() => Within.Bound(missing.CountAsync(source, default)));

        await Within.Bound(source.Disposed);
    }

    [Fact]
    public async Task Without_byte_streams_on_the_caller_a_stream_argument_fails_saying_what_to_add()
    {
        await using BytesRig rig = await BytesRig.StartAsync(callerHasStreams: false);

        RpcSerializationException error = await Assert.ThrowsAsync<RpcSerializationException>(() => Within.Bound(rig.Gateway.CountAsync(new PatternStream(10), default)));

        Assert.Contains("carries no byte streams; reference the Toolkit.Rpc.Streams package and set RpcServiceOptions.ByteStreams", error.Message, StringComparison.Ordinal);
        Assert.Equal(42, await Within.Bound(rig.Gateway.PingAsync(41)));
    }

    [Fact]
    public async Task Without_byte_streams_on_the_server_a_stream_argument_fails_naming_the_server()
    {
        await using BytesRig rig = await BytesRig.StartAsync(serverHasStreams: false);

        RpcSerializationException error = await Assert.ThrowsAsync<RpcSerializationException>(() => Within.Bound(rig.Gateway.CountAsync(new PatternStream(10), default)));

        Assert.Contains($"rpc://{rig.Server.Address} carries no byte streams; set RpcServiceOptions.ByteStreams (Toolkit.Rpc.Streams) on it too", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_byte_streams_on_the_caller_a_stream_result_fails_the_call()
    {
        await using BytesRig rig = await BytesRig.StartAsync(callerHasStreams: false);

        Exception error = await Assert.ThrowsAnyAsync<RpcException>(() => Within.Bound(rig.Gateway.ProduceAsync(10)));

        Assert.Contains("carries no byte streams", error.Message, StringComparison.Ordinal);
    }

    private static async Task DrainAsync(Stream stream)
    {
        byte[] buffer = new byte[256 * 1024];
        while (await stream.ReadAsync(buffer) > 0)
        {
        }
    }
}
