namespace Toolkit.Heartbeat.Tests;

/// <summary>
/// A monitor that was itself stalled must not blame its targets for the silence it could not hear, yet must still find a
/// target that died while it was stalled.
/// </summary>
public sealed class StallTests
{
    // The stall (2 s) is longer than the timeout (1.5 s): every deadline falls inside it.
    private static HeartbeatOptions Options(bool stallAware) => new()
    {
        Interval = TimeSpan.FromMilliseconds(500),
        Timeout = TimeSpan.FromMilliseconds(1500),
        Jitter = 0,
        StallThreshold = stallAware ? TimeSpan.FromMilliseconds(500) : Timeout.InfiniteTimeSpan,
    };

    [Fact]
    public async Task A_2_s_stall_of_the_process_times_out_no_healthy_target_and_a_target_that_died_in_it_is_found_after_it()
    {
        await using Harness harness = await Harness.StartAsync(Options(stallAware: true));
        ScriptedTarget healthy = harness.Target("healthy");
        ScriptedTarget dying = harness.Target("dying");
        await harness.OnMainThread(() =>
        {
            harness.Sender.MonitorTarget("healthy", healthy);
            harness.Sender.MonitorTarget("dying", dying);
        });
        await harness.AdvanceAsync(TimeSpan.FromMilliseconds(1200));

        // The process stops for 2 s (no timer, no turn runs); meanwhile one target dies.
        dying.Behaviour = ScriptedTarget.Mode.Silent;
        await harness.StallAsync(TimeSpan.FromSeconds(2));
        double resumedAt = harness.NowMs;
        await harness.AdvanceAsync(TimeSpan.FromSeconds(5));

        HeardEvent timeout = Assert.Single(harness.Listener.Events);
        Assert.Equal(("timeout", "dying"), (timeout.Kind, timeout.Target));
        // Last heartbeat at 1000 ms: its 1.5 s, plus the 2 s stall (overestimated by at most one 250 ms pulse).
        Assert.InRange(timeout.AtMs, 4500, 4750);
        Assert.True(timeout.AtMs > resumedAt);
        await harness.OnMainThread(() =>
        {
            Assert.True(harness.Sender.IsMonitoring("healthy"));
            Assert.InRange(harness.Sender.StalledTime.TotalMilliseconds, 2000, 2250);
        });
    }

    [Fact]
    public async Task A_2_s_long_turn_of_the_owners_main_thread_counts_as_a_stall_too()
    {
        await using Harness harness = await Harness.StartAsync(Options(stallAware: true));
        ScriptedTarget healthy = harness.Target("healthy");
        await harness.OnMainThread(() => harness.Sender.MonitorTarget("healthy", healthy));
        await harness.AdvanceAsync(TimeSpan.FromMilliseconds(1200));

        // One turn on the main thread takes 2 s: the manager's timer fires meanwhile but its turn waits behind this one.
        await harness.OnMainThread(() =>
        {
            for (int i = 0; i < 200; i++)
            {
                harness.Time.Advance(TimeSpan.FromMilliseconds(10));
            }
        });
        await harness.AdvanceAsync(TimeSpan.FromSeconds(5));

        Assert.Empty(harness.Listener.Events);
        await harness.OnMainThread(() => Assert.InRange(harness.Sender.StalledTime.TotalMilliseconds, 2000, 2250));
    }

    [Fact]
    public async Task Without_stall_awareness_the_same_stall_times_out_the_healthy_target_which_is_what_the_awareness_prevents()
    {
        await using Harness harness = await Harness.StartAsync(Options(stallAware: false));
        ScriptedTarget healthy = harness.Target("healthy");
        await harness.OnMainThread(() => harness.Sender.MonitorTarget("healthy", healthy));
        await harness.AdvanceAsync(TimeSpan.FromMilliseconds(1200));

        await harness.StallAsync(TimeSpan.FromSeconds(2));

        HeardEvent timeout = Assert.Single(harness.Listener.Events);
        Assert.Equal(("timeout", "healthy"), (timeout.Kind, timeout.Target));
    }

    [Fact]
    public async Task Requests_keep_their_phase_after_a_stall_and_are_not_sent_in_a_burst()
    {
        await using Harness harness = await Harness.StartAsync(Options(stallAware: true));
        ScriptedTarget target = harness.Target("t");
        await harness.OnMainThread(() => harness.Sender.MonitorTarget("t", target));
        await harness.AdvanceAsync(TimeSpan.FromMilliseconds(1200));
        await harness.StallAsync(TimeSpan.FromMilliseconds(2030));
        await harness.AdvanceAsync(TimeSpan.FromMilliseconds(1000));

        // 0, 500, 1000; one request when the stall ends (3230); then on the old phase, 3500 and 4000 (a request may leave
        // up to 1/20 of the interval early, with the batch of a tick that runs then).
        Assert.Equal([0, 500, 1000, 3230], target.RequestTimes.Take(4));
        Assert.Equal(6, target.RequestTimes.Count);
        Assert.InRange(target.RequestTimes[4], 3475, 3500);
        Assert.InRange(target.RequestTimes[5], 3975, 4000);
    }
}
