using Toolkit.Rpc.Tests.Infrastructure;

namespace Toolkit.Rpc.Tests.Endpoints;

/// <summary>DESIGN §3.8: OnStartAsync before any call, clear errors before start and after stop, and an orderly stop.</summary>
public sealed class LifecycleTests
{
    [Fact]
    public async Task Calls_that_arrive_while_OnStartAsync_runs_wait_for_it()
    {
        await using RpcService rpc = await RpcService.StartAsync();
        ProbeEndpoint endpoint = new() { StartGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        Task<ProbeEndpoint> starting = rpc.StartEndpointAsync(endpoint, "probe");
        IProbeGateway gateway = rpc.GetGateway<IProbeGateway>("probe");

        ValueTask<long> early = gateway.IncrementAsync(1);
        Assert.Equal(RpcEndpointState.Starting, endpoint.State);

        endpoint.StartGate.SetResult();
        await Eventually.Within(starting);
        Assert.Equal(1, await early);
        Assert.False(endpoint.CallSeenBeforeStart);
        Assert.Equal(RpcEndpointState.Running, endpoint.State);
    }

    [Fact]
    public async Task A_call_before_start_fails_saying_the_endpoint_is_not_started()
    {
        ProbeEndpoint endpoint = new();
        IProbeGateway self = endpoint.GetSelfGateway<IProbeGateway>();

        RpcEndpointUnavailableException error = await Assert.ThrowsAsync<RpcEndpointUnavailableException>(async () => await self.IncrementAsync(1));

        Assert.Equal(RpcEndpointState.Created, error.State);
        Assert.Contains("IProbeGateway.IncrementAsync", error.Message, StringComparison.Ordinal);
        Assert.Contains("has not been started", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(CallPath.Direct)]
    [InlineData(CallPath.Serialized)]
    [InlineData(CallPath.Remote)]
    public async Task A_call_after_stop_fails_at_once_and_one_way_calls_are_dropped_quietly(CallPath path)
    {
        Probe probe = await Probe.StartAsync(path);
        await probe.Endpoint.StopAsync();

        RpcEndpointUnavailableException error = await Assert.ThrowsAsync<RpcEndpointUnavailableException>(async () => await probe.Gateway.IncrementAsync(1));
        Assert.Equal(RpcEndpointState.Stopped, error.State);
        Assert.Contains("IProbeGateway.IncrementAsync on endpoint 'probe'", error.Message, StringComparison.Ordinal);
        probe.Gateway.Record(1);
        Assert.Equal(1, probe.Endpoint.StopCalls);
        await probe.DisposeAsync();
    }

    [Fact]
    public async Task Stop_lets_the_current_turn_finish_fails_queued_calls_then_runs_OnStopAsync()
    {
        Probe probe = await Probe.StartAsync();
        Task<int> current = probe.Gateway.BlockAsync();
        Assert.True(probe.Endpoint.Blocking.Wait(TimeSpan.FromSeconds(10)), "the endpoint never started the blocking call");
        ValueTask<long> queued1 = probe.Gateway.IncrementAsync(1);
        ValueTask<long> queued2 = probe.Gateway.IncrementAsync(1);

        Task stopping = probe.Endpoint.StopAsync();
        Assert.Equal(RpcEndpointState.Stopping, probe.Endpoint.State);
        probe.Endpoint.Block.Set();
        await Eventually.Within(stopping);

        Assert.Equal(1, await current);
        RpcEndpointUnavailableException error = await Assert.ThrowsAsync<RpcEndpointUnavailableException>(async () => await queued1);
        Assert.Equal(RpcEndpointState.Stopping, error.State);
        await Assert.ThrowsAsync<RpcEndpointUnavailableException>(async () => await queued2);
        Assert.Equal(1, probe.Endpoint.StopCalls);
        Assert.Equal(RpcEndpointState.Stopped, probe.Endpoint.State);
        await probe.DisposeAsync();
    }

    [Theory]
    [InlineData(CallPath.Direct)]
    [InlineData(CallPath.Serialized)]
    [InlineData(CallPath.Remote)]
    public async Task A_call_still_awaiting_when_the_endpoint_stops_fails_instead_of_hanging(CallPath path)
    {
        Probe probe = await Probe.StartAsync(path);
        Task held = probe.Gateway.HoldAsync();
        await probe.Endpoint.RunAsync(() => { });

        await Eventually.Within(probe.Endpoint.StopAsync());

        RpcEndpointUnavailableException error = await Assert.ThrowsAsync<RpcEndpointUnavailableException>(() => Eventually.Within(held));
        Assert.Equal(RpcEndpointState.Stopped, error.State);
        await probe.DisposeAsync();
    }

    [Fact]
    public async Task Stopping_cancels_pending_scheduled_runs()
    {
        FakeTimeProvider time = new();
        Probe probe = await Probe.StartAsync(time: time);
        Task run = probe.Endpoint.ScheduleRunAsync(() => { }, TimeSpan.FromMinutes(1));

        await probe.Endpoint.StopAsync();

        Assert.True(run.IsCanceled);
        await probe.DisposeAsync();
    }

    [Fact]
    public async Task A_failing_OnStartAsync_fails_the_start_frees_the_name_and_fails_waiting_calls()
    {
        await using RpcService rpc = await RpcService.StartAsync();
        ProbeEndpoint endpoint = new()
        {
            StartGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously),
            FailStartWith = new InvalidOperationException("no database"),
        };
        Task<ProbeEndpoint> starting = rpc.StartEndpointAsync(endpoint, "probe");
        ValueTask<long> waiting = endpoint.GetSelfGateway<IProbeGateway>().IncrementAsync(1);

        endpoint.StartGate.SetResult();

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => Eventually.Within(starting));
        Assert.Contains("failed to start", error.Message, StringComparison.Ordinal);
        Assert.Contains("no database", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<RpcEndpointUnavailableException>(async () => await waiting);
        Assert.DoesNotContain("probe", rpc.EndpointNames);
        await rpc.StartEndpointAsync(new ProbeEndpoint(), "probe");
    }

    [Fact]
    public async Task Names_must_be_unique_and_an_endpoint_runs_once()
    {
        await using Probe probe = await Probe.StartAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(() => probe.Service.StartEndpointAsync(new ProbeEndpoint(), "probe"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => probe.Service.StartEndpointAsync(probe.Endpoint, "again"));
        await Assert.ThrowsAsync<ArgumentException>(() => probe.Service.StartEndpointAsync(new ProbeEndpoint(), "bad name/"));
    }

    [Fact]
    public async Task Gateways_to_missing_or_mismatched_endpoints_fail_naming_both()
    {
        await using Probe probe = await Probe.StartAsync();

        RpcEndpointNotFoundException missing = Assert.Throws<RpcEndpointNotFoundException>(() => probe.Service.GetGateway<IProbeGateway>("nobody"));
        Assert.Contains("'nobody'", missing.Message, StringComparison.Ordinal);
        Assert.Contains("IProbeGateway", missing.Message, StringComparison.Ordinal);
        Assert.Contains("probe", missing.Message, StringComparison.Ordinal);

        RpcEndpointNotFoundException mismatch = Assert.Throws<RpcEndpointNotFoundException>(() => probe.Service.GetGateway<IUnrelatedGateway>("probe"));
        Assert.Contains("'probe'", mismatch.Message, StringComparison.Ordinal);
        Assert.Contains("IUnrelatedGateway", mismatch.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disposing_the_service_stops_every_endpoint_most_recently_started_first()
    {
        RpcService rpc = await RpcService.StartAsync();
        List<string> stopped = [];
        ProbeEndpoint first = await rpc.StartEndpointAsync(new ProbeEndpoint { OnStopped = () => stopped.Add("first") }, "first");
        ProbeEndpoint second = await rpc.StartEndpointAsync(new ProbeEndpoint { OnStopped = () => stopped.Add("second") }, "second");
        ProbeEndpoint third = await rpc.StartEndpointAsync(new ProbeEndpoint { OnStopped = () => stopped.Add("third") }, "a-third");

        await rpc.DisposeAsync();

        Assert.Equal(["third", "second", "first"], stopped);
        Assert.All([first, second, third], endpoint => Assert.Equal(RpcEndpointState.Stopped, endpoint.State));
        Assert.Equal(1, first.StopCalls);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => rpc.StartEndpointAsync(new ProbeEndpoint(), "fourth"));
    }
}
