using Toolkit.Rpc.Tests.Infrastructure;

namespace Toolkit.Rpc.Tests.Endpoints;

/// <summary><see cref="RpcService.StopAsync"/> lets running calls finish within its deadline, refuses new ones, then stops.</summary>
public sealed class GracefulStopTests
{
    [Fact]
    public async Task A_graceful_stop_refuses_new_calls_and_waits_for_the_running_ones()
    {
        await using RpcService server = await RpcService.StartAsync(new RpcServiceOptions { Listen = "127.0.0.1:0" });
        ProbeEndpoint probe = await server.StartEndpointAsync(new ProbeEndpoint(), "probe");
        await using RpcService client = await RpcService.StartAsync();
        IProbeGateway gateway = await client.ConnectAsync<IProbeGateway>($"rpc://{server.Address}/probe");
        Task held = gateway.HoldAsync();
        await Eventually.True(() => probe.Holding, "the held call reached the endpoint");

        using CancellationTokenSource deadline = new(TimeSpan.FromSeconds(30));
        Task stop = server.StopAsync(deadline.Token);
        RpcEndpointUnavailableException refused = await Assert.ThrowsAsync<RpcEndpointUnavailableException>(async () => await gateway.IncrementAsync(1));
        Assert.Contains($"service {server.NodeId} is stopping and takes no new calls", refused.Message, StringComparison.Ordinal);
        Assert.False(stop.IsCompleted, "the stop finished while a call was still running");

        probe.Hold.SetResult();
        await Eventually.Within(held);
        await Eventually.Within(stop);
        Assert.Equal(RpcEndpointState.Stopped, probe.State);
    }

    [Fact]
    public async Task Calls_still_running_at_the_deadline_fail_and_the_service_stops()
    {
        await using RpcService server = await RpcService.StartAsync(new RpcServiceOptions { Listen = "127.0.0.1:0" });
        ProbeEndpoint probe = await server.StartEndpointAsync(new ProbeEndpoint(), "probe");
        await using RpcService client = await RpcService.StartAsync();
        IProbeGateway gateway = await client.ConnectAsync<IProbeGateway>($"rpc://{server.Address}/probe");
        Task held = gateway.HoldAsync();
        await Eventually.True(() => probe.Holding, "the held call reached the endpoint");

        using CancellationTokenSource deadline = new(TimeSpan.FromMilliseconds(200));
        await Eventually.Within(server.StopAsync(deadline.Token));

        await Assert.ThrowsAnyAsync<RpcException>(() => Eventually.Within(held));
        Assert.Equal(RpcEndpointState.Stopped, probe.State);
    }
}
