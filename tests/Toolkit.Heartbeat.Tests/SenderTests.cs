namespace Toolkit.Heartbeat.Tests;

/// <summary>A sender's timeouts, failure counting and payloads, on a clock that moves only when the test says so.</summary>
public sealed class SenderTests
{
    private static HeartbeatOptions Options(int threshold = 2) => new()
    {
        Interval = TimeSpan.FromSeconds(1),
        Timeout = TimeSpan.FromSeconds(5),
        FailureThreshold = threshold,
        Jitter = 0,
    };

    [Fact]
    public async Task A_silent_target_times_out_once_exactly_a_timeout_after_its_last_heartbeat()
    {
        await using Harness harness = await Harness.StartAsync(Options());
        ScriptedTarget target = harness.Target("t1");
        await harness.OnMainThread(() => harness.Sender.MonitorTarget("t1", target));

        // Requests at 0, 1, 2 and 3 s are answered; from 3.5 s on the target answers nothing.
        await harness.AdvanceAsync(TimeSpan.FromMilliseconds(3500));
        target.Behaviour = ScriptedTarget.Mode.Silent;
        Assert.Equal([0, 1000, 2000, 3000], target.RequestTimes);

        await harness.AdvanceAsync(TimeSpan.FromMilliseconds(4490));
        Assert.Empty(harness.Listener.Events);
        await harness.AdvanceAsync(TimeSpan.FromSeconds(20));

        HeardEvent timeout = Assert.Single(harness.Listener.Events);
        Assert.Equal(("timeout", "t1"), (timeout.Kind, timeout.Target));
        Assert.Equal(8000, timeout.AtMs, 0.001);
        Assert.Equal(4, harness.Listener.Payloads.Count);
        await harness.OnMainThread(() => Assert.False(harness.Sender.IsMonitoring("t1")));
    }

    [Fact]
    public async Task A_target_whose_calls_fail_is_unreachable_after_exactly_the_threshold_of_failures_in_a_row()
    {
        await using Harness harness = await Harness.StartAsync(Options(threshold: 3));
        ScriptedTarget target = harness.Target("t1");
        await harness.OnMainThread(() => harness.Sender.MonitorTarget("t1", target));
        await harness.AdvanceAsync(TimeSpan.FromMilliseconds(1500));

        // Failures at 2 and 3 s, an answer at 4 s resets the count, then failures at 5, 6 and 7 s.
        target.Behaviour = ScriptedTarget.Mode.Fail;
        await harness.AdvanceAsync(TimeSpan.FromMilliseconds(2000));
        await harness.OnMainThread(() => Assert.Equal(2, harness.Sender.GetStatus("t1")!.Value.ConsecutiveFailures));
        target.Behaviour = ScriptedTarget.Mode.Answer;
        await harness.AdvanceAsync(TimeSpan.FromMilliseconds(1000));
        target.Behaviour = ScriptedTarget.Mode.Fail;
        await harness.AdvanceAsync(TimeSpan.FromMilliseconds(2400));
        Assert.Empty(harness.Listener.Events);
        await harness.AdvanceAsync(TimeSpan.FromSeconds(10));

        HeardEvent unreachable = Assert.Single(harness.Listener.Events);
        Assert.Equal(("unreachable", "t1"), (unreachable.Kind, unreachable.Target));
        Assert.Equal(7000, unreachable.AtMs, 0.001);
        Assert.Equal(8, target.Requests);
    }

    [Fact]
    public async Task A_frozen_target_whose_calls_time_out_is_unreachable_once_threshold_requests_in_a_row_timed_out()
    {
        // Interval 1 s, threshold 2, a 1 s request timeout, and a 50 s heartbeat timeout that plays no part.
        HeartbeatOptions options = new() { Interval = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromSeconds(50), FailureThreshold = 2, Jitter = 0 };
        await using Harness harness = await Harness.StartAsync(options);
        ScriptedTarget target = harness.Target("t1");
        await harness.OnMainThread(() => harness.Sender.MonitorTarget("t1", target));
        await harness.AdvanceAsync(TimeSpan.FromMilliseconds(2500));

        // Frozen at 2.5 s: the requests of 3 s and 4 s time out at 4 s and 5 s; a request is sent every interval even
        // while the previous one is in flight, so detection takes the threshold's intervals, not more.
        target.Behaviour = ScriptedTarget.Mode.TimeOut;
        await harness.AdvanceAsync(TimeSpan.FromSeconds(5));

        HeardEvent unreachable = Assert.Single(harness.Listener.Events);
        Assert.Equal(("unreachable", 5000.0), (unreachable.Kind, unreachable.AtMs));
        // The request due at 5 s goes out or not depending on which of two timers due then fires first; none after.
        Assert.Equal([0, 1000, 2000, 3000, 4000], target.RequestTimes.Take(5));
        Assert.InRange(target.RequestTimes.Count, 5, 6);
    }

    [Fact]
    public async Task A_refused_connection_makes_a_target_unreachable_at_its_first_failed_call_whatever_the_threshold()
    {
        await using Harness harness = await Harness.StartAsync(Options(threshold: 5));
        ScriptedTarget target = harness.Target("t1");
        target.Behaviour = ScriptedTarget.Mode.Refuse;
        await harness.OnMainThread(() => harness.Sender.MonitorTarget("t1", target));

        // The refused call fails on another thread: wait for it in real time (bounded) with the fake clock standing
        // still at 0, so that "at once" means at 0 ms whatever the machine's load; then let 10 s pass.
        using CancellationTokenSource limit = new(TimeSpan.FromSeconds(30));
        while (await harness.OnMainThread(() => harness.Listener.Events.Count) == 0)
        {
            await Task.Delay(5, limit.Token);
        }

        await harness.AdvanceAsync(TimeSpan.FromSeconds(10));

        HeardEvent unreachable = Assert.Single(harness.Listener.Events);
        Assert.Equal(("unreachable", 0.0), (unreachable.Kind, unreachable.AtMs));
        Assert.Equal(1, target.Requests);
    }

    [Fact]
    public async Task An_unmonitored_target_is_requested_no_more_and_never_times_out()
    {
        await using Harness harness = await Harness.StartAsync(Options());
        ScriptedTarget kept = harness.Target("kept");
        ScriptedTarget dropped = harness.Target("dropped");
        await harness.OnMainThread(() =>
        {
            harness.Sender.MonitorTarget("kept", kept);
            harness.Sender.MonitorTarget("dropped", dropped);
        });
        await harness.AdvanceAsync(TimeSpan.FromMilliseconds(2500));
        dropped.Behaviour = ScriptedTarget.Mode.Silent;
        bool removed = false;
        await harness.OnMainThread(() => removed = harness.Sender.UnmonitorTarget("dropped"));
        int requestsWhenDropped = dropped.Requests;
        await harness.AdvanceAsync(TimeSpan.FromSeconds(20));

        Assert.True(removed);
        Assert.Equal(3, requestsWhenDropped);
        Assert.Equal(requestsWhenDropped, dropped.Requests);
        Assert.Empty(harness.Listener.Events);
        Assert.Equal(23, kept.Requests);
        await harness.OnMainThread(() => Assert.Equal(1, harness.Sender.MonitoredCount));
    }

    [Fact]
    public async Task Each_reply_reports_the_targets_payload_and_each_request_carries_the_senders()
    {
        await using Harness harness = await Harness.StartAsync(Options());
        ScriptedTarget target = harness.Target("t1");
        await harness.OnMainThread(() => harness.Sender.MonitorTarget("t1", target));
        await harness.AdvanceAsync(TimeSpan.FromMilliseconds(2500));

        Assert.Equal([("t1", "from t1"), ("t1", "from t1"), ("t1", "from t1")], harness.Listener.Payloads);
        await harness.OnMainThread(() =>
        {
            HeartbeatTargetStatus status = harness.Sender.GetStatus("t1")!.Value;
            Assert.Equal(3, status.Heartbeats);
            Assert.Equal(TimeSpan.FromMilliseconds(500), status.SinceLastHeartbeat);
            Assert.Equal(TimeSpan.Zero, status.LastRoundTrip);
        });
    }

    [Fact]
    public async Task The_manager_refuses_calls_from_outside_its_owners_main_thread()
    {
        await using Harness harness = await Harness.StartAsync(Options());
        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => harness.Sender.MonitorTarget("t1", harness.Target("t1")));
        Assert.Contains("main thread of endpoint 'owner'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 5, 2, 1.0, "Interval")]
    [InlineData(5, 5, 2, 1.0, "Timeout")]
    [InlineData(1, 5, 0, 1.0, "FailureThreshold")]
    [InlineData(1, 5, 2, 1.5, "Jitter")]
    public void Options_that_cannot_work_are_refused_naming_the_option(double interval, double timeout, int threshold, double jitter, string option)
    {
        HeartbeatOptions options = new()
        {
            Interval = TimeSpan.FromSeconds(interval),
            Timeout = TimeSpan.FromSeconds(timeout),
            FailureThreshold = threshold,
            Jitter = jitter,
        };

        ArgumentException error = Assert.ThrowsAny<ArgumentException>(() => new HeartbeatServices(options));
        Assert.Equal(option, error.ParamName);
    }

    [Fact]
    public void Flinks_defaults_are_the_defaults()
    {
        HeartbeatOptions options = new();
        Assert.Equal((TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(50), 2), (options.Interval, options.Timeout, options.FailureThreshold));
    }
}
