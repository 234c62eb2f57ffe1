using System.Diagnostics;
using Toolkit.Rpc.Tests.Endpoints;
using Toolkit.Rpc.Tests.Infrastructure;

namespace Toolkit.Rpc.Tests.Processes;

/// <summary>A server in a process of its own: calls, a crash, a restart on the same port, a contract that differs.</summary>
public sealed class ProcessTests
{
    [Fact]
    public async Task A_killed_server_fails_pending_calls_at_once_and_a_restarted_one_is_reconnected()
    {
        TestServerProcess server = await TestServerProcess.StartAsync();
        string address = server.Address;
        await using RpcService client = await RpcService.StartAsync();
        IProbeGateway gateway = await client.ConnectAsync<IProbeGateway>($"rpc://{address}/probe");
        Assert.Equal(1, await gateway.IncrementAsync(1));
        for (int i = 0; i < 1_000; i++)
        {
            gateway.Record(i);
        }

        Assert.Equal(Enumerable.Range(0, 1_000), await gateway.RecordedAsync());
        Task held = gateway.HoldAsync();
        Task<bool> cancellable = gateway.ObserveCancellationAsync(CancellationToken.None);
        await Task.Delay(50);

        Stopwatch elapsed = Stopwatch.StartNew();
        await server.KillAsync();
        RpcConnectionException error = await Assert.ThrowsAsync<RpcConnectionException>(() => Eventually.Within(held));
        await Assert.ThrowsAsync<RpcConnectionException>(() => Eventually.Within(cancellable));
        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(3), $"pending calls failed {elapsed.Elapsed} after the kill, not at once");
        Assert.Contains($"IProbeGateway.HoldAsync on endpoint 'probe' at rpc://{address}", error.Message, StringComparison.Ordinal);
        await server.DisposeAsync();

        // While nothing listens, a call fails with the reason; once a server is back on the same port, the same gateway reconnects.
        RpcConnectionException down = await Assert.ThrowsAsync<RpcConnectionException>(async () => await gateway.IncrementAsync(1));
        Assert.Contains($"could not connect to rpc://{address}", down.Message, StringComparison.Ordinal);
        await using TestServerProcess restarted = await TestServerProcess.StartAsync("--listen", address);
        Assert.Equal(5, await gateway.IncrementAsync(5));
    }

    [Fact]
    public async Task A_server_whose_gateway_contract_differs_is_refused_at_connect_saying_what_differs()
    {
        await using TestServerProcess server = await TestServerProcess.StartAsync("--versioned");
        await using RpcService clientService = await RpcService.StartAsync();

        RpcConnectionException error = await Assert.ThrowsAsync<RpcConnectionException>(
            () => clientService.ConnectAsync<IVersionedGateway>($"rpc://{server.Address}/versioned"));

        string client = $"service {clientService.NodeId} (client mode)";
        string there = $"service test-server-{server.ProcessId} at {server.Address}";
        Assert.Contains($"gateway {typeof(IVersionedGateway).FullName} differs", error.Message, StringComparison.Ordinal);
        Assert.Contains($"method QuoteAsync is 'method QuoteAsync(string) -> {typeof(Quote).FullName}' at {client} but 'method QuoteAsync(string, string) -> {typeof(Quote).FullName}' at {there}", error.Message, StringComparison.Ordinal);
        Assert.Contains($"type {typeof(Quote).FullName} member 1 is 'Price: decimal' at {client} but 'Price: long' at {there}", error.Message, StringComparison.Ordinal);
        Assert.False(server.HasExited);
    }

    [Fact]
    public async Task A_separate_server_process_serves_calls_callbacks_and_cancellation()
    {
        await using TestServerProcess server = await TestServerProcess.StartAsync("--secret", "s3cret");
        await using RpcService client = await RpcService.StartAsync(new RpcServiceOptions { Transport = new Rpc.RpcTransportOptions { SharedSecret = "s3cret" } });
        ProbeEndpoint executor = await client.StartEndpointAsync(new ProbeEndpoint(), "executor");
        IProbeGateway gateway = await client.ConnectAsync<IProbeGateway>($"rpc://{server.Address}/probe");

        Task<long>[] calls = Enumerable.Range(0, 64).Select(_ => Task.Run(async () =>
        {
            long last = 0;
            for (int i = 0; i < 200; i++)
            {
                last = await gateway.IncrementAsync(1);
            }

            return last;
        })).ToArray();
        await Eventually.Within(Task.WhenAll(calls));
        Assert.Equal(64 * 200, await gateway.IncrementAsync(0));

        Assert.Equal(6, await Eventually.Within(gateway.BounceAsync(executor.GetSelfGateway<IProbeGateway>(), 6)));
        Assert.Equal(3, await executor.CallAsync(() => executor.Bounces, TimeSpan.FromSeconds(5)));

        using CancellationTokenSource cancel = new(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Eventually.Within(gateway.ObserveCancellationAsync(cancel.Token)));
        RpcRemoteException thrown = await Assert.ThrowsAsync<RpcRemoteException>(() => gateway.ThrowAsync("from another process"));
        Assert.Equal("from another process", thrown.RemoteMessage);
        Assert.Contains(nameof(ProbeEndpoint.ThrowAsync), thrown.RemoteStackTrace, StringComparison.Ordinal);
    }
}
