using System.Diagnostics;
using Toolkit.Rpc.Tests.Infrastructure;
using Toolkit.Rpc.Transport;

namespace Toolkit.Rpc.Tests.Transport;

/// <summary>
/// A reader stops polling its socket while the cores are oversubscribed: it measures how long its own thread waits
/// for a core (Linux's schedstat), smoothed, with a gap between the thresholds to stop and to start again, and stops
/// only while the machine's cores hardly idle (stat). Runs alone: one test keeps every core busy.
/// </summary>
[Collection(Alone.Name)]
public sealed class CoreContentionTests : IDisposable
{
    private static readonly long Sample = (long)(CoreContention.SamplePeriod.TotalSeconds * Stopwatch.Frequency);

    private readonly string _schedstat = Path.GetTempFileName();
    private readonly string _stat = Path.GetTempFileName();

    public void Dispose()
    {
        File.Delete(_schedstat);
        File.Delete(_stat);
    }

    [Fact]
    public void Waiting_for_a_core_most_of_the_time_stops_the_polling_and_it_resumes_only_well_below()
    {
        // Each sample period lasts 20 ms; the files say how much of it the thread waited for a core, and how much of
        // the machine's time passed idle (none here).
        Func<double, bool> next = Sampler(out CoreContention gauge, idle: () => 0);
        using CoreContention disposed = gauge;

        Assert.False(gauge.IsContended(1), "no sample is due yet");

        // One long preemption alone does not stop the polling: the share is smoothed over a few samples.
        Assert.False(next(0.75));
        Assert.True(next(0.75));

        // It stops until the smoothed share falls under the lower threshold: a few quiet samples, not one.
        Assert.True(next(0));
        Assert.True(next(0));
        Assert.True(next(0));
        Assert.True(next(0));
        Assert.False(next(0));

        // Waiting a tenth of the time, which spinning readers on a busy but not oversubscribed machine do, polls on.
        for (int sample = 0; sample < 20; sample++)
        {
            Assert.False(next(0.1));
        }
    }

    [Fact]
    public void Waiting_for_a_core_while_another_core_idles_does_not_stop_the_polling()
    {
        // Two readers the scheduler put on one core while the other idles: each waits half the time, but sleeping
        // would not help them apart.
        double idle = 0.5;
        Func<double, bool> next = Sampler(out CoreContention gauge, () => idle);
        using CoreContention disposed = gauge;
        for (int sample = 0; sample < 20; sample++)
        {
            Assert.False(next(0.5));
        }

        // Once the cores hardly idle, it does; and it polls again once they idle a good part of the time.
        idle = 0;
        bool stopped = false;
        for (int sample = 0; sample < 10 && !stopped; sample++)
        {
            stopped = next(0.5);
        }

        Assert.True(stopped, "the polling did not stop with the machine's cores busy");
        idle = 0.5;
        bool resumed = false;
        for (int sample = 0; sample < 10 && !resumed; sample++)
        {
            resumed = !next(0.5);
        }

        Assert.True(resumed, "the polling did not resume with a core idle half the time");
    }

    [Fact]
    public void A_file_that_does_not_read_as_schedstat_gives_no_gauge()
    {
        File.WriteAllText(_schedstat, "not numbers\n");
        Assert.Null(CoreContention.Open(_schedstat, _stat, 0));
        Assert.Null(CoreContention.Open(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N")), _stat, 0));
    }

    [Fact]
    public async Task A_thread_that_shares_the_cores_with_more_busy_threads_than_cores_sees_contention()
    {
        Assert.True(OperatingSystem.IsLinux(), "the transport's readers measure contention on Linux; this test needs /proc");
        bool? contended = null;
        using CancellationTokenSource stop = new();
        Thread[] busy = [.. Enumerable.Range(0, Environment.ProcessorCount * 2).Select(_ => new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                Thread.SpinWait(100);
            }
        }) { IsBackground = true })];
        Thread measuring = new(() =>
        {
            using CoreContention gauge = CoreContention.ForCurrentThread() ?? throw new InvalidOperationException("no gauge on Linux");
            Stopwatch elapsed = Stopwatch.StartNew();
            while (elapsed.Elapsed < TimeSpan.FromSeconds(10) && !gauge.IsContended(Stopwatch.GetTimestamp()))
            {
                Thread.SpinWait(100);
            }

            contended = gauge.IsContended(Stopwatch.GetTimestamp());
        })
        { IsBackground = true };

        try
        {
            Array.ForEach(busy, thread => thread.Start());
            measuring.Start();
            await Eventually.True(() => !measuring.IsAlive, "the measuring thread finishes");
        }
        finally
        {
            await stop.CancelAsync();
        }

        Assert.True(contended, "a thread among twice as many busy threads as cores never measured contention in 10 s");
    }

    /// <summary>
    /// A gauge on the test's files from time 0, and a function that ends the next sample period with the given share of
    /// it spent waiting for a core, and <paramref name="idle"/>'s share of the machine's time idle (over 8 cores' clock
    /// ticks of 10 ms, 16 ticks a period).
    /// </summary>
    private Func<double, bool> Sampler(out CoreContention gauge, Func<double> idle)
    {
        const int TicksPerPeriod = 16;
        long now = 0;
        long waited = 0;
        long idleTicks = 1000;
        long busyTicks = 5000;
        WriteWaited(waited);
        WriteMachine(idleTicks, busyTicks);
        CoreContention opened = CoreContention.Open(_schedstat, _stat, now) ?? throw new InvalidOperationException("the gauge did not open");
        gauge = opened;
        return share =>
        {
            waited += (long)(share * CoreContention.SamplePeriod.TotalNanoseconds);
            long idleNow = (long)Math.Round(idle() * TicksPerPeriod);
            idleTicks += idleNow;
            busyTicks += TicksPerPeriod - idleNow;
            WriteWaited(waited);
            WriteMachine(idleTicks, busyTicks);
            now += Sample;
            return opened.IsContended(now);
        };
    }

    private void WriteWaited(long nanoseconds) => File.WriteAllText(_schedstat, $"123456 {nanoseconds} 42\n");

    // user nice system idle iowait irq softirq steal guest guest_nice, and a second line as the real file has.
    private void WriteMachine(long idle, long busy) =>
        File.WriteAllText(_stat, $"cpu  {busy} 0 0 {idle} 0 0 0 77 0 0\ncpu0 1 2 3 4 5 6 7 8 9 10\n");
}
