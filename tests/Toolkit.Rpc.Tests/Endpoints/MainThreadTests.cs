using Toolkit.Rpc.Tests.Infrastructure;

namespace Toolkit.Rpc.Tests.Endpoints;

/// <summary>DESIGN §3.1–3.3: one turn at a time on the main thread, awaits come back to it, calls from one caller stay in order.</summary>
public sealed class MainThreadTests
{
    [Theory]
    [InlineData(CallPath.Direct, 10_000)]
    [InlineData(CallPath.Serialized, 500)]
    [InlineData(CallPath.Remote, 500)]
    public async Task Concurrent_callers_incrementing_a_plain_field_lose_no_update(CallPath path, int callsPerCaller)
    {
        const int Callers = 64;
        await using Probe probe = await Probe.StartAsync(path);

        Task[] callers = Enumerable.Range(0, Callers).Select(_ => Task.Run(async () =>
        {
            for (int i = 0; i < callsPerCaller; i++)
            {
                await probe.Gateway.IncrementAsync(1);
            }
        })).ToArray();
        await Eventually.Within(Task.WhenAll(callers));

        Assert.Equal((long)Callers * callsPerCaller, await probe.Gateway.IncrementAsync(0));
    }

    [Theory]
    [InlineData(CallPath.Direct)]
    [InlineData(CallPath.Serialized)]
    [InlineData(CallPath.Remote)]
    public async Task Interleaved_async_calls_keep_each_read_modify_write_atomic(CallPath path)
    {
        await using Probe probe = await Probe.StartAsync(path);
        Task<long>[] calls = Enumerable.Range(0, 1_000).Select(_ => probe.Gateway.IncrementSlowlyAsync(1)).ToArray();
        await Eventually.Within(Task.WhenAll(calls));
        Assert.Equal(1_000, await probe.Gateway.IncrementAsync(0));
    }

    [Theory]
    [InlineData(CallPath.Direct)]
    [InlineData(CallPath.Serialized)]
    [InlineData(CallPath.Remote)]
    public async Task Code_after_await_runs_on_the_main_thread(CallPath path)
    {
        await using Probe probe = await Probe.StartAsync(path);
        Assert.True(await probe.Gateway.AwaitsThenChecksMainThreadAsync());
    }

    [Theory]
    [InlineData(CallPath.Direct)]
    [InlineData(CallPath.Serialized)]
    [InlineData(CallPath.Remote)]
    public async Task One_way_calls_from_one_caller_arrive_in_the_order_they_were_made(CallPath path)
    {
        await using Probe probe = await Probe.StartAsync(path);
        for (int i = 0; i < 10_000; i++)
        {
            probe.Gateway.Record(i);
        }

        int[] recorded = await Eventually.Within(probe.Gateway.RecordedAsync());
        Assert.Equal(Enumerable.Range(0, 10_000), recorded);
    }

    [Theory]
    [InlineData(CallPath.Direct)]
    [InlineData(CallPath.Serialized)]
    [InlineData(CallPath.Remote)]
    public async Task Asks_issued_without_awaiting_run_in_issue_order(CallPath path)
    {
        await using Probe probe = await Probe.StartAsync(path);
        ValueTask<long>[] calls = new ValueTask<long>[1_000];
        for (int i = 0; i < calls.Length; i++)
        {
            calls[i] = probe.Gateway.IncrementAsync(1);
        }

        for (int i = 0; i < calls.Length; i++)
        {
            Assert.Equal(i + 1, await calls[i]);
        }
    }

    [Theory]
    [InlineData(CallPath.Direct)]
    [InlineData(CallPath.Serialized)]
    [InlineData(CallPath.Remote)]
    public async Task A_calling_B_calling_A_does_not_deadlock(CallPath path)
    {
        await using Probe probe = await Probe.StartAsync(path);

        // Remotely, the other endpoint lives in the caller's client-mode service: the probe calls it back over the
        // connection the caller opened, with the gateway it received inside the call.
        await probe.Caller.StartEndpointAsync(new ProbeEndpoint(), "other");
        IProbeGateway other = probe.Caller.GetGateway<IProbeGateway>("other");

        int bounces = await Eventually.Within(probe.Gateway.BounceAsync(other, 10));

        Assert.Equal(10, bounces);
    }

    [Fact]
    public async Task ValidateRunsInMainThread_throws_elsewhere_and_names_the_endpoint()
    {
        await using Probe probe = await Probe.StartAsync();
        InvalidOperationException error = Assert.Throws<InvalidOperationException>(probe.Endpoint.ValidateRunsInMainThread);
        Assert.Contains("'probe'", error.Message, StringComparison.Ordinal);
        Assert.False(probe.Endpoint.IsInMainThread);
    }

    [Fact]
    public async Task RunAsync_and_CallAsync_run_on_the_main_thread()
    {
        await using Probe probe = await Probe.StartAsync();
        bool ranInside = false;
        await probe.Endpoint.RunAsync(() => ranInside = probe.Endpoint.IsInMainThread);
        Assert.True(ranInside);
        Assert.True(await probe.Endpoint.CallAsync(() => probe.Endpoint.IsInMainThread, TimeSpan.FromSeconds(10)));
        Assert.True(await probe.Endpoint.CallAsync(async () =>
        {
            await Task.Yield();
            return probe.Endpoint.IsInMainThread;
        }, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task MainThreadScheduler_runs_continuations_on_the_main_thread()
    {
        await using Probe probe = await Probe.StartAsync();
        bool inside = await Task.Delay(1).ContinueWith(_ => probe.Endpoint.IsInMainThread, probe.Endpoint.MainThreadScheduler);
        Assert.True(inside);
    }

    [Fact]
    public async Task Scheduled_runs_fire_in_due_order_under_a_manual_clock()
    {
        FakeTimeProvider time = new();
        await using Probe probe = await Probe.StartAsync(time: time);
        List<string> order = [];
        Task late = probe.Endpoint.ScheduleRunAsync(() => order.Add("30ms"), TimeSpan.FromMilliseconds(30));
        Task early = probe.Endpoint.ScheduleRunAsync(() => order.Add("10ms"), TimeSpan.FromMilliseconds(10));
        Task middle = probe.Endpoint.ScheduleRunAsync(() => order.Add("20ms"), TimeSpan.FromMilliseconds(20));
        Task sameAsMiddle = probe.Endpoint.ScheduleRunAsync(() => order.Add("20ms second"), TimeSpan.FromMilliseconds(20));

        time.Advance(TimeSpan.FromMilliseconds(9));
        await probe.Endpoint.RunAsync(() => { });
        Assert.Empty(order);

        time.Advance(TimeSpan.FromMilliseconds(21));
        await Eventually.Within(Task.WhenAll(early, middle, sameAsMiddle, late));
        Assert.Equal(["10ms", "20ms", "20ms second", "30ms"], order);
    }

    [Fact]
    public async Task Scheduled_runs_run_on_the_main_thread_and_report_failures()
    {
        FakeTimeProvider time = new();
        await using Probe probe = await Probe.StartAsync(time: time);
        bool onMainThread = false;
        Task ok = probe.Endpoint.ScheduleRunAsync(() => onMainThread = probe.Endpoint.IsInMainThread, TimeSpan.FromSeconds(1));
        Task failing = probe.Endpoint.ScheduleRunAsync(() => throw new InvalidOperationException("boom"), TimeSpan.FromSeconds(1));

        time.Advance(TimeSpan.FromSeconds(1));

        await Eventually.Within(ok);
        Assert.True(onMainThread);
        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() => Eventually.Within(failing));
        Assert.Equal("boom", error.Message);
    }

    [Fact]
    public async Task A_cancelled_scheduled_run_never_runs()
    {
        FakeTimeProvider time = new();
        await using Probe probe = await Probe.StartAsync(time: time);
        using CancellationTokenSource cancel = new();
        bool ran = false;
        Task run = probe.Endpoint.ScheduleRunAsync(() => ran = true, TimeSpan.FromSeconds(5), cancel.Token);

        await cancel.CancelAsync();
        time.Advance(TimeSpan.FromSeconds(10));
        await probe.Endpoint.RunAsync(() => { });

        Assert.True(run.IsCanceled);
        Assert.False(ran);
    }

    [Fact]
    public async Task A_run_scheduled_with_a_cancelled_token_leaves_no_timer_armed()
    {
        CountingTimeProvider time = new();
        await using Probe probe = await Probe.StartAsync(time: time);
        int liveBefore = time.LiveTimers;

        Task run = probe.Endpoint.ScheduleRunAsync(() => { }, TimeSpan.FromHours(1), new CancellationToken(canceled: true));

        Assert.True(run.IsCanceled);
        Assert.Equal(liveBefore, time.LiveTimers);
    }
}
