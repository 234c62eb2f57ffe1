namespace Toolkit.Rpc.Streams.Tests;

/// <summary>Bulk bytes travel beside the call connection, never in its queue: small calls go on while a stream flows or stalls.</summary>
public sealed class CallConnectionTests
{
    [Fact]
    public async Task Calls_go_on_while_a_stream_whose_reader_does_not_read_fills_its_window()
    {
        await using BytesRig rig = await BytesRig.StartAsync();
        await using Stream stalled = await Within.Bound(rig.Gateway.ProduceEndlessAsync());

        // Nobody reads the stream: its channel's window fills and its sender waits for credit, with the call connection free.
        for (int i = 0; i < 200; i++)
        {
            Assert.Equal(i + 1, await Within.Bound(rig.Gateway.PingAsync(i)));
        }

        byte[] buffer = new byte[4096];
        await stalled.ReadExactlyAsync(buffer).AsTask().WaitAsync(Within.Limit);
        PatternStream.Check(buffer, 0);
    }

    [Fact]
    public async Task Calls_go_on_while_streams_flow_at_full_speed_both_ways()
    {
        await using BytesRig rig = await BytesRig.StartAsync();
        await using Stream down = await Within.Bound(rig.Gateway.ProduceEndlessAsync());
        using CancellationTokenSource stop = new();
        long downloaded = 0;
        Task reading = Task.Run(async () =>
        {
            byte[] buffer = new byte[256 * 1024];
            while (!stop.IsCancellationRequested)
            {
                downloaded += await down.ReadAsync(buffer);
            }
        });
        PatternStream up = new(PatternStream.Endless);
        Task uploading = rig.Gateway.HoldAsync(up, stop.Token);
        await Within.Bound(rig.Endpoint.Holding);

        for (int i = 0; i < 200; i++)
        {
            Assert.Equal(i + 1, await Within.Bound(rig.Gateway.PingAsync(i)));
        }

        // The pings went while both streams still flowed: neither had ended, neither failed.
        Assert.False(reading.IsCompleted);
        Assert.False(uploading.IsCompleted);
        Assert.True(downloaded > 0);
        await stop.CancelAsync();
        await Within.Bound(reading);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Within.Bound(uploading));
    }
}
