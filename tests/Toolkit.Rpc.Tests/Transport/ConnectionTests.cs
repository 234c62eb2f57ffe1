using System.Diagnostics;
using Toolkit.Rpc.Tests.Endpoints;
using Toolkit.Rpc.Tests.Infrastructure;
using Toolkit.Rpc.Transport;

namespace Toolkit.Rpc.Tests.Transport;

/// <summary>Addresses, lookup, client mode, connection lifecycle and limits between two services over loopback.</summary>
public sealed class ConnectionTests
{
    [Fact]
    public async Task Connecting_to_a_missing_endpoint_names_the_endpoint_the_gateway_and_what_the_service_has()
    {
        await using Probe probe = await Probe.StartAsync(CallPath.Remote);

        RpcEndpointNotFoundException error = await Assert.ThrowsAsync<RpcEndpointNotFoundException>(
            () => probe.Caller.ConnectAsync<IProbeGateway>($"rpc://{probe.Service.Address}/nobody"));

        Assert.Contains($"IProbeGateway gateway to rpc://{probe.Service.Address}/nobody", error.Message, StringComparison.Ordinal);
        Assert.Contains("no endpoint named 'nobody' (it has: probe)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connecting_with_a_gateway_the_endpoint_does_not_implement_names_both()
    {
        await using Probe probe = await Probe.StartAsync(CallPath.Remote);

        RpcEndpointNotFoundException error = await Assert.ThrowsAsync<RpcEndpointNotFoundException>(
            () => probe.Caller.ConnectAsync<IUnrelatedGateway>($"rpc://{probe.Service.Address}/probe"));

        Assert.Contains($"IUnrelatedGateway gateway to rpc://{probe.Service.Address}/probe", error.Message, StringComparison.Ordinal);
        Assert.Contains($"endpoint 'probe' ({typeof(ProbeEndpoint).FullName}) does not implement {typeof(IUnrelatedGateway).FullName}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1:6123/probe")]
    [InlineData("http://127.0.0.1:6123/probe")]
    [InlineData("rpc://127.0.0.1/probe")]
    [InlineData("rpc://127.0.0.1:6123")]
    [InlineData("rpc://127.0.0.1:99999/probe")]
    [InlineData("rpc://127.0.0.1:6123/a/b")]
    public async Task A_malformed_address_fails_with_the_expected_form(string address)
    {
        await using RpcService client = await RpcService.StartAsync();
        FormatException error = await Assert.ThrowsAsync<FormatException>(() => client.ConnectAsync<IProbeGateway>(address));
        Assert.Contains(address, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nothing_listening_fails_promptly_with_the_address()
    {
        await using RpcService client = await RpcService.StartAsync();
        int port = FreePort();
        Stopwatch elapsed = Stopwatch.StartNew();

        RpcConnectionException error = await Assert.ThrowsAsync<RpcConnectionException>(() => client.ConnectAsync<IProbeGateway>($"rpc://127.0.0.1:{port}/probe"));

        Assert.Contains($"could not connect to rpc://127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
        Assert.Contains("ConnectionRefused", error.Message, StringComparison.Ordinal);
        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(3), $"took {elapsed.Elapsed}");
    }

    [Fact]
    public async Task A_client_mode_service_registers_itself_and_is_called_back_over_its_own_connection()
    {
        await using RpcService server = await RpcService.StartAsync(new RpcServiceOptions { Listen = "127.0.0.1:0" });
        PeerWatcher serverWatcher = await server.StartEndpointAsync(new PeerWatcher(), "watcher");
        ProbeEndpoint registry = await server.StartEndpointAsync(new ProbeEndpoint(), "registry");
        await using RpcService client = await RpcService.StartAsync();
        Assert.Null(client.Address);
        ProbeEndpoint executor = await client.StartEndpointAsync(new ProbeEndpoint(), "executor");

        // The task-executor pattern: the client hands the server a gateway to its own endpoint inside a call, and the
        // server calls it (here 5 times, bouncing between the two) over the connection the client opened.
        IProbeGateway remoteRegistry = await client.ConnectAsync<IProbeGateway>($"rpc://{server.Address}/registry");
        int bounces = await Eventually.Within(remoteRegistry.BounceAsync(executor.GetSelfGateway<IProbeGateway>(), 10));

        Assert.Equal(10, bounces);
        Assert.Equal(5, await executor.CallAsync(() => executor.Bounces, TimeSpan.FromSeconds(5)));
        Assert.Equal(5, await registry.CallAsync(() => registry.Bounces, TimeSpan.FromSeconds(5)));
        RpcPeer peer = Assert.Single(await Eventually.Within(serverWatcher.ConnectedAsync(1)));
        Assert.Equal(client.NodeId, peer.NodeId);
        Assert.Null(peer.Address);
        Assert.True(peer.IsInbound);
    }

    [Fact]
    public async Task A_listening_service_passes_its_address_and_the_receiver_connects_to_it()
    {
        await using RpcService server = await RpcService.StartAsync(new RpcServiceOptions { Listen = "127.0.0.1:0" });
        await server.StartEndpointAsync(new ProbeEndpoint(), "registry");
        await using RpcService caller = await RpcService.StartAsync(new RpcServiceOptions { Listen = "127.0.0.1:0" });
        ProbeEndpoint executor = await caller.StartEndpointAsync(new ProbeEndpoint(), "executor");

        IProbeGateway remoteRegistry = await caller.ConnectAsync<IProbeGateway>($"rpc://{server.Address}/registry");
        Assert.Equal(4, await Eventually.Within(remoteRegistry.BounceAsync(executor.GetSelfGateway<IProbeGateway>(), 4)));

        Assert.Equal($"rpc://{caller.Address}/executor", executor.Reference.ToString());
        Assert.Equal(2, await executor.CallAsync(() => executor.Bounces, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_dropped_connection_fails_pending_calls_at_once_and_the_next_call_reconnects()
    {
        await using Probe probe = await Probe.StartAsync(CallPath.Remote);
        PeerWatcher watcher = await probe.Caller.StartEndpointAsync(new PeerWatcher(), "watcher");
        await probe.Gateway.IncrementAsync(1);
        Task held = probe.Gateway.HoldAsync();
        ValueTask<long> queued = probe.Gateway.IncrementAsync(1);
        await Eventually.True(() => probe.Endpoint.Holding, "the hold call reached the endpoint");
        Stopwatch elapsed = Stopwatch.StartNew();

        probe.Service.Transport.Connections.CloseAll("cut by the test");

        RpcConnectionException error = await Assert.ThrowsAsync<RpcConnectionException>(() => Eventually.Within(held));
        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(2), $"the pending call failed after {elapsed.Elapsed}, not at once");
        Assert.Contains($"IProbeGateway.HoldAsync on endpoint 'probe' at rpc://{probe.Service.Address}", error.Message, StringComparison.Ordinal);
        Assert.Contains("closed", error.Message, StringComparison.Ordinal);
        Assert.Equal($"rpc://{probe.Service.Address}", error.Address);
        try
        {
            // The increment was made before the cut; it either ran and replied in time or failed with the connection.
            await queued;
        }
        catch (RpcConnectionException)
        {
        }

        RpcPeer lost = Assert.Single(await Eventually.Within(watcher.DisconnectedAsync(1)));
        Assert.Equal(probe.Service.NodeId, lost.NodeId);

        long before = await probe.Endpoint.CallAsync(() => probe.Endpoint.Count, TimeSpan.FromSeconds(5));
        Assert.Equal(before + 1, await probe.Gateway.IncrementAsync(1));
        // The watcher started after the first connection: it hears of the new one.
        Assert.Equal(probe.Service.NodeId, Assert.Single(await Eventually.Within(watcher.ConnectedAsync(1))).NodeId);
    }

    [Fact]
    public async Task An_oversized_request_fails_on_the_caller_at_once_with_its_size_and_the_limit()
    {
        RpcTransportOptions transport = new() { MaxFrameSize = 64 * 1024 };
        await using RpcService server = await RpcService.StartAsync(new RpcServiceOptions { Listen = "127.0.0.1:0", Transport = transport });
        await server.StartEndpointAsync(new ProbeEndpoint(), "probe");
        await using RpcService client = await RpcService.StartAsync(new RpcServiceOptions { Transport = transport });
        IProbeGateway gateway = await client.ConnectAsync<IProbeGateway>($"rpc://{server.Address}/probe");

        Task<string> call = gateway.EchoAsync(new string('x', 100_000), TimeSpan.FromSeconds(30));

        Assert.True(call.IsCompleted, "an oversized request must fail before anything is sent, not time out");
        RpcMessageTooLargeException error = await Assert.ThrowsAsync<RpcMessageTooLargeException>(() => call);
        Assert.Equal(64 * 1024, error.Limit);
        Assert.True(error.Size > 100_000);
        Assert.Contains("IProbeGateway.EchoAsync", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{error.Size:N0} bytes, over the frame limit of 65,536 bytes", error.Message, StringComparison.Ordinal);
        Assert.Equal("ok (5000 ms)", await gateway.EchoAsync("ok", TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task An_oversized_reply_fails_the_call_with_its_size_and_the_limit()
    {
        await using RpcService server = await RpcService.StartAsync(new RpcServiceOptions { Listen = "127.0.0.1:0" });
        ProbeEndpoint endpoint = await server.StartEndpointAsync(new ProbeEndpoint(), "probe");
        await using RpcService client = await RpcService.StartAsync(new RpcServiceOptions { Transport = new RpcTransportOptions { MaxFrameSize = 16 * 1024 } });
        IProbeGateway gateway = await client.ConnectAsync<IProbeGateway>($"rpc://{server.Address}/probe");
        for (int i = 0; i < 5_000; i++)
        {
            gateway.Record(i);
        }

        RpcMessageTooLargeException error = await Assert.ThrowsAsync<RpcMessageTooLargeException>(() => Eventually.Within(gateway.RecordedAsync()));

        Assert.Equal(16 * 1024, error.Limit);
        Assert.Contains("the reply is", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, await gateway.IncrementAsync(1));
    }

    [Fact]
    public async Task Pending_calls_beyond_the_limit_wait_for_a_slot_instead_of_failing()
    {
        await using RpcService server = await RpcService.StartAsync(new RpcServiceOptions { Listen = "127.0.0.1:0" });
        ProbeEndpoint endpoint = await server.StartEndpointAsync(new ProbeEndpoint(), "probe");
        await using RpcService client = await RpcService.StartAsync(new RpcServiceOptions { Transport = new RpcTransportOptions { MaxPendingCalls = 4 } });
        IProbeGateway gateway = await client.ConnectAsync<IProbeGateway>($"rpc://{server.Address}/probe");

        Task[] held = Enumerable.Range(0, 4).Select(_ => gateway.HoldAsync()).ToArray();
        await Eventually.True(() => endpoint.Holding, "the held calls reached the endpoint");
        RpcConnection connection = Assert.Single(client.Transport.Connections.Live);
        Assert.False(connection.HasFreeSlot, "the four held calls take every slot");

        // With no free slot the fifth call parks until one frees, and only a held call's reply frees one.
        ValueTask<long> waiting = gateway.IncrementAsync(1);
        Assert.False(waiting.IsCompleted, "the fifth call must wait while four are pending");
        Assert.False(connection.HasFreeSlot, "the fifth call took no slot");
        Assert.Equal(0, await endpoint.CallAsync(() => endpoint.Count, TimeSpan.FromSeconds(5)));
        endpoint.Hold.SetResult();
        await Eventually.Within(Task.WhenAll(held));
        Assert.Equal(1, await waiting);
    }

    [Fact]
    public async Task A_late_reply_after_a_timeout_is_dropped_and_the_connection_keeps_working()
    {
        FakeTimeProvider time = new();
        await using RpcService server = await RpcService.StartAsync(new RpcServiceOptions { Listen = "127.0.0.1:0" });
        ProbeEndpoint endpoint = await server.StartEndpointAsync(new ProbeEndpoint(), "probe");
        await using RpcService client = await RpcService.StartAsync(new RpcServiceOptions { DefaultTimeout = TimeSpan.FromSeconds(1), TimeProvider = time });
        IProbeGateway gateway = await client.ConnectAsync<IProbeGateway>($"rpc://{server.Address}/probe");

        Task held = gateway.HoldAsync();
        await Eventually.True(() => endpoint.Holding, "the call reached the endpoint");
        time.Advance(TimeSpan.FromSeconds(2));
        RpcTimeoutException error = await Assert.ThrowsAsync<RpcTimeoutException>(() => Eventually.Within(held));
        Assert.Contains($"IProbeGateway.HoldAsync on endpoint 'probe' at rpc://{server.Address}", error.Message, StringComparison.Ordinal);

        // The reply to the timed-out call arrives now and finds no call: it is dropped, and later calls are unaffected.
        endpoint.Hold.SetResult();
        for (int i = 1; i <= 100; i++)
        {
            Assert.Equal(i, await gateway.IncrementAsync(1));
        }
    }

    [Fact]
    public async Task A_reference_to_a_client_mode_service_that_is_gone_fails_clearly()
    {
        await using Probe probe = await Probe.StartAsync(CallPath.Remote);
        ProbeEndpoint executor = await probe.Caller.StartEndpointAsync(new ProbeEndpoint(), "executor");
        IProbeGateway self = executor.GetSelfGateway<IProbeGateway>();
        Assert.Equal(2, await probe.Gateway.BounceAsync(self, 2));

        await probe.Caller.DisposeAsync();
        await Eventually.True(() => probe.Endpoint.Peers == 0, "the server noticed the client left");
        RpcException error = await Assert.ThrowsAnyAsync<RpcException>(() => probe.Endpoint.CallBackAsync());

        Assert.Contains($"client-mode service {probe.Caller.NodeId}", error.Message, StringComparison.Ordinal);
        Assert.Contains("not connected", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_way_calls_that_never_left_because_the_handshake_failed_are_logged_as_lost()
    {
        RecordingLoggerFactory logs = new();
        await using RpcService client = await RpcService.StartAsync(new RpcServiceOptions { LoggerFactory = logs });

        // A peer that accepts, says nothing, and hangs up: the calls queue while the handshake waits, then the connection fails.
        using System.Net.Sockets.TcpListener silent = new(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        int port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
        Task hangUp = Task.Run(async () =>
        {
            using System.Net.Sockets.Socket accepted = await silent.AcceptSocketAsync();
            await Task.Delay(300);
        });
        IProbeGateway gateway = client.ResolveGateway<IProbeGateway>(new Rpc.RpcEndpointReference("gone", $"127.0.0.1:{port}", "probe"));

        gateway.Record(1);
        gateway.Record(2);
        await hangUp;

        await Eventually.True(() => logs.WithEvent(RecordingLoggerFactory.Unsent).Any(), "the lost one-way calls were logged");
        LogEntry lost = logs.WithEvent(RecordingLoggerFactory.Unsent).First();
        Assert.Contains($"rpc://127.0.0.1:{port}", lost.Message, StringComparison.Ordinal);
        Assert.Contains("never sent", lost.Message, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using System.Net.Sockets.TcpListener listener = new(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
