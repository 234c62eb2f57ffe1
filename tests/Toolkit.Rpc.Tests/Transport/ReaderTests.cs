using System.Diagnostics;
using Toolkit.Rpc.Tests.Endpoints;
using Toolkit.Rpc.Tests.Infrastructure;

namespace Toolkit.Rpc.Tests.Transport;

/// <summary>
/// The dedicated reader of a plain TCP connection runs callers' continuations and endpoint turns itself; code that
/// blocks there must not stall the connection, and the thread-pool reader (with DedicatedReaders off) must still work.
/// </summary>
public sealed class ReaderTests
{
    private const string ReaderThreadName = "Toolkit.Rpc reader";

    [Fact]
    public async Task A_caller_that_blocks_on_the_reader_for_a_call_on_the_same_connection_is_not_deadlocked()
    {
        RecordingLoggerFactory logs = new();
        await using RpcService server = await RpcService.StartAsync(new RpcServiceOptions { Listen = "127.0.0.1:0" });
        await server.StartEndpointAsync(new ProbeEndpoint(), "probe");
        await using RpcService client = await RpcService.StartAsync(new RpcServiceOptions { LoggerFactory = logs });
        IProbeGateway gateway = await client.ConnectAsync<IProbeGateway>($"rpc://{server.Address}/probe");

        // The continuation runs on the connection's reader; the blocking wait below is for a reply that only a
        // reader can deliver, and the request itself is held back until the reader's turn ends.
        long? blockedResult = await Task.Run(() => OnTheReaderAsync(gateway, () =>
        {
            Task<long> blocked = gateway.IncrementAsync(2).AsTask();
#pragma warning disable VSTHRD002 // Blocking on the reader is the point of this test.
            return blocked.Wait(TimeSpan.FromSeconds(10)) ? blocked.Result : (long?)null;
#pragma warning restore VSTHRD002
        })).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.NotNull(blockedResult);
        Assert.Contains(logs.WithEvent(RecordingLoggerFactory.ReaderTakenOver), entry => entry.Message.Contains(server.Address!, StringComparison.Ordinal));
        Assert.Contains(logs.WithEvent(RecordingLoggerFactory.HoldBroken), entry => entry.Message.Contains(server.Address!, StringComparison.Ordinal));

        // The connection goes on working.
        Assert.Equal(blockedResult + 1, await gateway.IncrementAsync(1));
    }



    [Fact]
    public async Task An_endpoint_that_blocks_its_turn_on_the_reader_does_not_hold_up_another_endpoint_on_the_connection()
    {
        RecordingLoggerFactory logs = new();
        await using RpcService server = await RpcService.StartAsync(new RpcServiceOptions { Listen = "127.0.0.1:0", LoggerFactory = logs });
        ProbeEndpoint slow = await server.StartEndpointAsync(new ProbeEndpoint(), "slow");
        await server.StartEndpointAsync(new ProbeEndpoint(), "fast");
        await using RpcService client = await RpcService.StartAsync();
        IProbeGateway slowGateway = await client.ConnectAsync<IProbeGateway>($"rpc://{server.Address}/slow");
        IProbeGateway fastGateway = await client.ConnectAsync<IProbeGateway>($"rpc://{server.Address}/fast");

        try
        {
            Task<int> blocked = slowGateway.BlockAsync();
            Assert.True(slow.Blocking.Wait(TimeSpan.FromSeconds(10)), "the blocking call reached its endpoint");

            // The server's reader is stuck in the slow endpoint's turn; the watchdog gives the reading to a new thread.
            Stopwatch elapsed = Stopwatch.StartNew();
            Assert.Equal(1, await fastGateway.IncrementAsync(1).AsTask().WaitAsync(TimeSpan.FromSeconds(5)));
            Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(3), $"the other endpoint answered after {elapsed.Elapsed}");
            Assert.False(blocked.IsCompleted);
            Assert.Single(logs.WithEvent(RecordingLoggerFactory.ReaderTakenOver));

            slow.Block.Set();
            Assert.Equal(1, await blocked.WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.Equal(2, await fastGateway.IncrementAsync(1));
            Assert.Equal(5, await slowGateway.IncrementAsync(5));
        }
        finally
        {
            slow.Block.Set();
        }
    }

    [Fact]
    public async Task Calls_complete_on_the_reader_thread_of_the_connection()
    {
        await using Probe probe = await Probe.StartAsync(CallPath.Remote);

        string? continuedOn = await Task.Run(() => OnTheReaderAsync(probe.Gateway, () => Thread.CurrentThread.Name));

        Assert.Equal(ReaderThreadName, continuedOn);
    }

    [Fact]
    public async Task Connections_read_on_the_thread_pool_when_dedicated_readers_are_off()
    {
        RpcTransportOptions pooled = new() { DedicatedReaders = false };
        await using RpcService server = await RpcService.StartAsync(new RpcServiceOptions { Listen = "127.0.0.1:0", Transport = pooled });
        ProbeEndpoint endpoint = await server.StartEndpointAsync(new ProbeEndpoint(), "probe");
        await using RpcService client = await RpcService.StartAsync(new RpcServiceOptions { Transport = pooled });
        await client.StartEndpointAsync(new ProbeEndpoint(), "callback");
        IProbeGateway gateway = await client.ConnectAsync<IProbeGateway>($"rpc://{server.Address}/probe");

        string? continuedOn = await Task.Run(async () =>
        {
            await gateway.IncrementAsync(1);
            return Thread.CurrentThread.Name;
        });
        Assert.NotEqual(ReaderThreadName, continuedOn);

        // Calls in order, and a callback into the client-mode service over the same connection.
        for (int i = 0; i < 1_000; i++)
        {
            gateway.Record(i);
        }

        Assert.Equal(Enumerable.Range(0, 1_000), await gateway.RecordedAsync());
        Assert.Equal(3, await gateway.BounceAsync(client.GetGateway<IProbeGateway>("callback"), 3));
        Assert.Equal(1, endpoint.Count);
    }

    [Fact]
    public async Task A_host_name_is_resolved_when_connecting()
    {
        await using RpcService server = await RpcService.StartAsync(new RpcServiceOptions { Listen = "127.0.0.1:0" });
        await server.StartEndpointAsync(new ProbeEndpoint(), "probe");
        await using RpcService client = await RpcService.StartAsync();
        int port = int.Parse(server.Address!.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);

        IProbeGateway gateway = await client.ConnectAsync<IProbeGateway>($"rpc://localhost:{port}/probe");

        Assert.Equal(7, await gateway.IncrementAsync(7));
    }

    [Fact]
    public async Task The_receive_spin_must_be_between_zero_and_one_second()
    {
        ArgumentOutOfRangeException error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => RpcService.StartAsync(new RpcServiceOptions { Transport = new RpcTransportOptions { ReceiveSpin = TimeSpan.FromSeconds(2) } }));
        Assert.Equal(nameof(RpcTransportOptions.ReceiveSpin), error.ParamName);
    }

    /// <summary>
    /// Calls until one continues on the connection's reader, then runs <paramref name="then"/> there, in this same
    /// continuation (a reply that arrives before its caller awaits lets the caller go on on its own thread, which a
    /// busy machine makes likely now and then; and code after an awaited helper may run on another thread).
    /// </summary>
    private static async Task<T> OnTheReaderAsync<T>(IProbeGateway gateway, Func<T> then)
    {
        for (int attempt = 0; attempt < 1_000 && Thread.CurrentThread.Name != ReaderThreadName; attempt++)
        {
            await gateway.IncrementAsync(0);
        }

        Assert.Equal(ReaderThreadName, Thread.CurrentThread.Name);
        return then();
    }
}
