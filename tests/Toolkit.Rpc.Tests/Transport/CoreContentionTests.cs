using System.Diagnostics;
using Toolkit.Rpc.Tests.Infrastructure;
using Toolkit.Rpc.Transport;

namespace Toolkit.Rpc.Tests.Transport;

/// <summary>
/// A reader stops polling its socket while the cores are oversubscribed: it measures how long its own thread waits
/// for a core (Linux's schedstat), smoothed, with a gap between the thresholds to stop and to start again, and stops
/// only while more threads are ready to run than there are cores (loadavg). Runs alone: one test keeps every core busy.
/// </summary>
[Collection(Alone.Name)]
public sealed class CoreContentionTests : IDisposable
{
    private static readonly long Sample = (long)(CoreContention.SamplePeriod.TotalSeconds * Stopwatch.Frequency);

    private readonly string _schedstat = Path.GetTempFileName();
    private readonly string _loadavg = Path.GetTempFileName();

    public void Dispose()
    {
        File.Delete(_schedstat);
        File.Delete(_loadavg);
    }

    [Fact]
    public void Waiting_for_a_core_most_of_the_time_stops_the_polling_and_it_resumes_only_well_below()
    {
        // Each sample period lasts 20 ms; the file says how many nanoseconds of it the thread waited for a core.
        WriteReady(Environment.ProcessorCount + 1);
        Func<double, bool> next = Sampler(out CoreContention gauge);
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
    public void Waiting_for_a_core_while_no_more_threads_are_ready_than_cores_does_not_stop_the_polling()
    {
        // Two readers the scheduler put on one core while another idles: each waits half the time, but sleeping
        // would not help them apart.
        WriteReady(Environment.ProcessorCount);
        Func<double, bool> next = Sampler(out CoreContention gauge);
        using CoreContention disposed = gauge;
        for (int sample = 0; sample < 20; sample++)
        {
            Assert.False(next(0.5));
        }

        // Once more threads are ready than there are cores, it does.
        WriteReady(Environment.ProcessorCount + 1);
        Assert.True(next(0.5));
    }

    [Fact]
    public void A_file_that_does_not_read_as_schedstat_gives_no_gauge()
    {
        File.WriteAllText(_schedstat, "not numbers\n");
        Assert.Null(CoreContention.Open(_schedstat, _loadavg, 0));
        Assert.Null(CoreContention.Open(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N")), _loadavg, 0));
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
        }) { IsBackground = true };

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

    /// <summary>A gauge on the test's files from time 0, and a function that ends the next sample period with the given share of it spent waiting for a core.</summary>
    private Func<double, bool> Sampler(out CoreContention gauge)
    {
        long now = 0;
        long waited = 0;
        WriteWaited(waited);
        CoreContention opened = CoreContention.Open(_schedstat, _loadavg, now) ?? throw new InvalidOperationException("the gauge did not open");
        gauge = opened;
        return share =>
        {
            waited += (long)(share * CoreContention.SamplePeriod.TotalNanoseconds);
            WriteWaited(waited);
            now += Sample;
            return opened.IsContended(now);
        };
    }

    private void WriteWaited(long nanoseconds) => File.WriteAllText(_schedstat, $"123456 {nanoseconds} 42\n");

    private void WriteReady(int threads) => File.WriteAllText(_loadavg, $"1.61 1.95 2.22 {threads}/77 7864\n");
}
