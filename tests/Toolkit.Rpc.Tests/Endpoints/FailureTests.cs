using Toolkit.Rpc.Tests.Infrastructure;

namespace Toolkit.Rpc.Tests.Endpoints;

/// <summary>DESIGN §3.5–3.6: failures and timeouts reach the caller at once, naming gateway, method and endpoint.</summary>
public sealed class FailureTests
{
    [Theory]
    [InlineData(CallPath.Direct)]
    [InlineData(CallPath.Serialized)]
    [InlineData(CallPath.Remote)]
    public async Task An_exception_in_the_endpoint_faults_the_caller_with_type_message_and_stack(CallPath path)
    {
        await using Probe probe = await Probe.StartAsync(path);

        RpcRemoteException error = await Assert.ThrowsAsync<RpcRemoteException>(() => probe.Gateway.ThrowAsync("bad input"));

        Assert.Equal("System.InvalidOperationException", error.RemoteType);
        Assert.Equal("bad input", error.RemoteMessage);
        Assert.Contains(nameof(ProbeEndpoint.ThrowAsync), error.RemoteStackTrace, StringComparison.Ordinal);
        Assert.Equal(new RpcCallSite("IProbeGateway", "ThrowAsync", "probe", probe.SiteAddress), error.Site);
        Assert.Contains($"IProbeGateway.ThrowAsync on endpoint 'probe' at {probe.SiteAddress}", error.Message, StringComparison.Ordinal);
        if (path == CallPath.Remote)
        {
            Assert.Null(error.InnerException);
        }
        else
        {
            Assert.IsType<InvalidOperationException>(error.InnerException);
        }
    }

    [Theory]
    [InlineData(CallPath.Direct)]
    [InlineData(CallPath.Serialized)]
    [InlineData(CallPath.Remote)]
    public async Task A_one_way_call_that_throws_never_fails_the_caller_and_the_endpoint_keeps_working(CallPath path)
    {
        await using Probe probe = await Probe.StartAsync(path);
        probe.Gateway.ThrowOneWay("ignored");
        Assert.Equal(1, await probe.Gateway.IncrementAsync(1));
    }

    [Theory]
    [InlineData(CallPath.Direct)]
    [InlineData(CallPath.Serialized)]
    [InlineData(CallPath.Remote)]
    public async Task A_method_timeout_fails_the_call_with_the_method_and_limit_named(CallPath path)
    {
        FakeTimeProvider time = new();
        await using Probe probe = await Probe.StartAsync(path, time);
        Task call = probe.Gateway.NeverCompletesAsync();
        await probe.Endpoint.RunAsync(() => { });

        time.Advance(TimeSpan.FromMilliseconds(40));
        Assert.False(call.IsCompleted);

        time.Advance(TimeSpan.FromMilliseconds(20));
        RpcTimeoutException error = await Assert.ThrowsAsync<RpcTimeoutException>(() => Eventually.Within(call));
        Assert.Equal(TimeSpan.FromMilliseconds(50), error.Timeout);
        Assert.Contains("IProbeGateway.NeverCompletesAsync on endpoint 'probe'", error.Message, StringComparison.Ordinal);
        Assert.Contains("50 ms", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(CallPath.Direct)]
    [InlineData(CallPath.Serialized)]
    [InlineData(CallPath.Remote)]
    public async Task The_service_default_timeout_applies_and_cancels_the_methods_token(CallPath path)
    {
        FakeTimeProvider time = new();
        await using Probe probe = await Probe.StartAsync(path, time: time, defaultTimeout: TimeSpan.FromSeconds(2));
        Task<bool> call = probe.Gateway.ObserveCancellationAsync(CancellationToken.None);
        await probe.Endpoint.RunAsync(() => { });

        time.Advance(TimeSpan.FromSeconds(3));

        RpcTimeoutException error = await Assert.ThrowsAsync<RpcTimeoutException>(() => Eventually.Within(call));
        Assert.Equal(TimeSpan.FromSeconds(2), error.Timeout);
        Assert.True(await Eventually.Within(probe.Endpoint.CancellationObserved.Task), "the method saw its token fire on its main thread");
    }

    [Theory]
    [InlineData(CallPath.Direct)]
    [InlineData(CallPath.Serialized)]
    [InlineData(CallPath.Remote)]
    public async Task A_timeout_parameter_sets_the_calls_timeout_and_reaches_the_method(CallPath path)
    {
        await using Probe probe = await Probe.StartAsync(path);
        Assert.Equal("hi (1234 ms)", await probe.Gateway.EchoAsync("hi", TimeSpan.FromMilliseconds(1234)));
    }

    [Theory]
    [InlineData(CallPath.Direct)]
    [InlineData(CallPath.Serialized)]
    [InlineData(CallPath.Remote)]
    public async Task Cancelling_the_caller_token_fails_the_call_and_fires_the_methods_token(CallPath path)
    {
        await using Probe probe = await Probe.StartAsync(path);
        using CancellationTokenSource cancel = new();
        Task<bool> call = probe.Gateway.ObserveCancellationAsync(cancel.Token);
        await probe.Endpoint.RunAsync(() => { });

        await cancel.CancelAsync();

        OperationCanceledException error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Eventually.Within(call));
        Assert.Equal(cancel.Token, error.CancellationToken);
        Assert.True(await Eventually.Within(probe.Endpoint.CancellationObserved.Task));
    }

    [Theory]
    [InlineData(CallPath.Direct)]
    [InlineData(CallPath.Serialized)]
    [InlineData(CallPath.Remote)]
    public async Task A_call_with_an_already_cancelled_token_fails_without_running(CallPath path)
    {
        await using Probe probe = await Probe.StartAsync(path);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => probe.Gateway.ObserveCancellationAsync(new CancellationToken(canceled: true)));
        Assert.False(probe.Endpoint.CancellationObserved.Task.IsCompleted);
    }

    [Fact]
    public async Task CallAsync_times_out_under_the_service_clock()
    {
        FakeTimeProvider time = new();
        await using Probe probe = await Probe.StartAsync(time: time);
        Task<int> call = probe.Endpoint.CallAsync(() => new TaskCompletionSource<int>().Task, TimeSpan.FromSeconds(1));
        await probe.Endpoint.RunAsync(() => { });

        time.Advance(TimeSpan.FromSeconds(2));

        RpcTimeoutException error = await Assert.ThrowsAsync<RpcTimeoutException>(() => Eventually.Within(call));
        Assert.Contains("'probe'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(CallPath.Direct)]
    [InlineData(CallPath.Serialized)]
    [InlineData(CallPath.Remote)]
    public async Task Timed_out_calls_leave_the_endpoint_working_and_late_completions_are_dropped(CallPath path)
    {
        FakeTimeProvider time = new();
        await using Probe probe = await Probe.StartAsync(path, time: time, defaultTimeout: TimeSpan.FromSeconds(1));
        Task held = probe.Gateway.HoldAsync();
        await probe.Endpoint.RunAsync(() => { });
        time.Advance(TimeSpan.FromSeconds(2));
        await Assert.ThrowsAsync<RpcTimeoutException>(() => Eventually.Within(held));

        probe.Endpoint.Hold.SetResult();
        for (int i = 1; i <= 100; i++)
        {
            Assert.Equal(i, await probe.Gateway.IncrementAsync(1));
        }
    }
}
