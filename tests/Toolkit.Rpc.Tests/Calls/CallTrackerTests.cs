using System.Runtime.CompilerServices;
using Toolkit.Rpc.Calls;
using Toolkit.Rpc.Tests.Endpoints;

namespace Toolkit.Rpc.Tests.Calls;

/// <summary>
/// The call tracker wakes only when a deadline or an eviction needs it: a sweep costs a timer thread and a pool thread,
/// which on a small machine busy with spinning readers shows up in the latency of calls.
/// </summary>
public sealed class CallTrackerTests
{
    private static readonly TimeSpan CheckInterval = TimeSpan.FromMilliseconds(10);

    [Fact]
    public void Calls_that_finish_within_their_timeout_wake_the_tracker_about_once_per_timeout()
    {
        SweepCountingTime time = new();
        using CallTracker tracker = new(time, CheckInterval);
        TrackedCall call = new(pooled: true);
        tracker.Add(call);

        // A closed loop of calls with a 10 s timeout, each finishing 1 ms after it starts, for 60 s.
        for (int index = 0; index < 60_000; index++)
        {
            long token = call.Begin(tracker.DeadlineAfter(TimeSpan.FromSeconds(10)));
            time.Manual.Advance(TimeSpan.FromMilliseconds(1));
            Assert.True(call.Complete(token));
            Assert.True(call.Recycle());
        }

        // A sweep when the earliest deadline it saw falls due, not one a second: 6 in 60 s, give or take one.
        Assert.InRange(time.Sweeps, 5, 7);
        Assert.Equal(0, call.TimeOuts);
    }

    [Fact]
    public void An_idle_tracker_sweeps_at_most_once_per_idle_period()
    {
        SweepCountingTime time = new();
        using CallTracker tracker = new(time, CheckInterval);

        for (int second = 0; second < 120; second++)
        {
            time.Manual.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal((int)(TimeSpan.FromSeconds(120) / CallTracker.IdleSweepPeriod), time.Sweeps);
    }

    [Fact]
    public void A_deadline_shorter_than_the_idle_period_brings_the_sweep_forward_and_times_the_call_out()
    {
        SweepCountingTime time = new();
        using CallTracker tracker = new(time, CheckInterval);
        TrackedCall call = new(pooled: false);
        tracker.Add(call);
        call.Begin(tracker.DeadlineAfter(TimeSpan.FromMilliseconds(500)));

        time.Manual.Advance(TimeSpan.FromMilliseconds(499));
        Assert.Equal(0, call.TimeOuts);

        time.Manual.Advance(TimeSpan.FromMilliseconds(1 + CheckInterval.TotalMilliseconds));
        Assert.Equal(1, call.TimeOuts);
        Assert.Equal(1, time.Sweeps);
    }

    [Fact]
    public void A_pooled_item_whose_caller_never_consumed_it_is_evicted_within_two_eviction_periods()
    {
        SweepCountingTime time = new();
        using CallTracker tracker = new(time, CheckInterval);
        TrackedCall dropped = new(pooled: true);
        TrackedCall consumedLate = new(pooled: true);
        tracker.Add(dropped);
        tracker.Add(consumedLate);
        Assert.True(dropped.Complete(dropped.Begin(tracker.DeadlineAfter(TimeSpan.FromSeconds(10)))));
        Assert.True(consumedLate.Complete(consumedLate.Begin(tracker.DeadlineAfter(TimeSpan.FromSeconds(10)))));

        // Consumed before the eviction period is over: still poolable.
        time.Manual.Advance(CallTracker.EvictUnconsumedAfter - TimeSpan.FromSeconds(1));
        Assert.True(consumedLate.Recycle());

        // Never consumed: by two eviction periods after it completed, the tracker has forgotten it, and a late consumer
        // must not pool it.
        time.Manual.Advance(CallTracker.EvictUnconsumedAfter + TimeSpan.FromSeconds(1));
        Assert.False(dropped.Recycle());
        Assert.Equal(0, dropped.TimeOuts + consumedLate.TimeOuts);
    }

    [Theory]
    [InlineData(CallPath.Direct)]
    [InlineData(CallPath.Remote)]
    public async Task A_finished_call_that_the_tracker_still_holds_does_not_keep_its_result_alive(CallPath path)
    {
        await using Probe probe = await Probe.StartAsync(path);

        // The tracker keeps finished calls until its next sweep, up to half a minute away, and a pooled call for good; their
        // results must be free.
        WeakReference result = CallAndForgetTheResult(probe.Gateway);

        // The caller can have the result a moment before the threads that handed it over are done with it: the thread that
        // completed the caller's task (the connection's reader, or the pool thread running a local call's continuation)
        // holds the task, and so the result, on its stack until it returns from completing it, and a local call's item
        // keeps the result until the endpoint's main thread has let go of the item too. On a loaded machine either thread
        // can be descheduled just then, for milliseconds. A reference that the tracker or the pooled call kept would last
        // until the call's next use: so collect until the result is gone, for far longer than such a pause.
        Assert.True(
            await IsCollectedWithinAsync(result, TimeSpan.FromSeconds(5)),
            "the call's result is still reachable 5 s after the caller let go of it");
    }

    private static async Task<bool> IsCollectedWithinAsync(WeakReference reference, TimeSpan limit)
    {
        long started = TimeProvider.System.GetTimestamp();
        while (true)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            if (!reference.IsAlive)
            {
                return true;
            }

            if (TimeProvider.System.GetElapsedTime(started) > limit)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10));
        }
    }

    // Not inlined, and synchronous: no local or state machine of the test keeps the result reachable.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference CallAndForgetTheResult(IProbeGateway gateway)
    {
        string reply = gateway.EchoAsync(new string('x', 100_000), TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
        Assert.StartsWith("xxx", reply, StringComparison.Ordinal);
        return new WeakReference(reply);
    }

    /// <summary>The manual clock, counting how often the tracker's timer fires.</summary>
    private sealed class SweepCountingTime : TimeProvider
    {
        public FakeTimeProvider Manual { get; } = new();

        public int Sweeps { get; private set; }

        public override long TimestampFrequency => Manual.TimestampFrequency;

        public override long GetTimestamp() => Manual.GetTimestamp();

        public override DateTimeOffset GetUtcNow() => Manual.GetUtcNow();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            Manual.CreateTimer(
                callbackState =>
                {
                    Sweeps++;
                    callback(callbackState);
                },
                state,
                dueTime,
                period);
    }

    private sealed class TrackedCall(bool pooled) : PendingCall
    {
        public int TimeOuts { get; private set; }

        protected override bool IsPooled => pooled;

        public long Begin(long deadline) => BeginTracking(deadline);

        public bool Complete(long token) => TryComplete(token);

        public bool Recycle() => TryRecycle();

        protected internal override void OnTimedOut() => TimeOuts++;
    }
}
