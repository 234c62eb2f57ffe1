namespace Toolkit.Rpc.Streams.Tests;

/// <summary>Arguments and results over the offload threshold travel through a byte stream instead of failing the frame limit.</summary>
public sealed class OffloadTests
{
    private const int FiftyMiB = 50 * 1024 * 1024;

    [Theory]
    [InlineData(CallerMode.ClientMode)]
    [InlineData(CallerMode.Listening)]
    public async Task A_50_MiB_argument_and_result_are_offloaded_whole(CallerMode mode)
    {
        await using BytesRig rig = await BytesRig.StartAsync(mode);
        byte[] data = Pattern(FiftyMiB);

        byte[] echoed = await Within.Bound(rig.Gateway.EchoAsync(data));

        Assert.Equal(data.Length, echoed.Length);
        Assert.True(data.AsSpan().SequenceEqual(echoed), "the echoed bytes differ");
    }

    [Fact]
    public async Task A_50_MiB_argument_is_offloaded_and_the_reply_comes_in_a_frame()
    {
        await using BytesRig rig = await BytesRig.StartAsync();

        Assert.Equal(FiftyMiB, await Within.Bound(rig.Gateway.LengthAsync(Pattern(FiftyMiB))));
        Assert.Equal(42, await Within.Bound(rig.Gateway.PingAsync(41)));
    }

    [Fact]
    public async Task Calls_made_after_an_offloaded_call_run_after_it()
    {
        await using BytesRig rig = await BytesRig.StartAsync();

        Task big = rig.Gateway.RecordAsync(Pattern(20 * 1024 * 1024));
        Task small = rig.Gateway.RecordAsync([1]);
        Task smaller = rig.Gateway.RecordAsync([]);
        Task medium = rig.Gateway.RecordAsync(Pattern(2 * 1024 * 1024));
        Task last = rig.Gateway.RecordAsync([1, 2]);
        await Within.Bound(Task.WhenAll(big, small, smaller, medium, last));

        Assert.Equal([20 * 1024 * 1024, 1, 0, 2 * 1024 * 1024, 2], rig.Endpoint.Recorded);
    }

    [Fact]
    public async Task Without_byte_streams_on_the_peer_an_argument_over_the_frame_limit_still_fails_on_it()
    {
        await using BytesRig rig = await BytesRig.StartAsync(serverHasStreams: false);

        RpcMessageTooLargeException error = await Assert.ThrowsAsync<RpcMessageTooLargeException>(() => Within.Bound(rig.Gateway.LengthAsync(Pattern(FiftyMiB))));

        Assert.Contains("request", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_offloading_turned_off_an_argument_over_the_frame_limit_fails_on_it()
    {
        MultiplexedByteStreams noOffload = new() { OffloadThreshold = int.MaxValue };
        await using BytesRig rig = await BytesRig.StartAsync(callerStreams: noOffload, serverStreams: noOffload);

        await Assert.ThrowsAsync<RpcMessageTooLargeException>(() => Within.Bound(rig.Gateway.LengthAsync(Pattern(FiftyMiB))));
        Assert.Equal(3 * 1024 * 1024, await Within.Bound(rig.Gateway.LengthAsync(Pattern(3 * 1024 * 1024))));
    }

    [Fact]
    public async Task A_50_MiB_result_is_offloaded_for_a_small_call()
    {
        await using BytesRig rig = await BytesRig.StartAsync();

        byte[] result = await Within.Bound(rig.Gateway.PatternBytesAsync(FiftyMiB));

        Assert.True(Pattern(FiftyMiB).AsSpan().SequenceEqual(result), "the result's bytes differ");
    }

    [Fact]
    public async Task A_result_over_the_frame_limit_for_a_caller_without_byte_streams_fails_with_the_size_error()
    {
        await using BytesRig rig = await BytesRig.StartAsync(callerHasStreams: false);

        RpcMessageTooLargeException error = await Assert.ThrowsAsync<RpcMessageTooLargeException>(() => Within.Bound(rig.Gateway.PatternBytesAsync(FiftyMiB)));

        Assert.Contains("reply", error.Message, StringComparison.Ordinal);
        Assert.Equal(2 * 1024 * 1024, (await Within.Bound(rig.Gateway.PatternBytesAsync(2 * 1024 * 1024))).Length);
    }

    private static byte[] Pattern(int length)
    {
        byte[] data = new byte[length];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = PatternStream.At(i);
        }

        return data;
    }
}
