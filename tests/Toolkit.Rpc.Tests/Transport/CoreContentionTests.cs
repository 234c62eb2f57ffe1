using System.Diagnostics;
using Toolkit.Rpc.Tests.Infrastructure;
using Toolkit.Rpc.Transport;

namespace Toolkit.Rpc.Tests.Transport;

/// <summary>
/// A reader stops polling its socket while the cores are oversubscribed: it measures how long its own thread waits
/// for a core (Linux's schedstat), smoothed, with a gap between the thresholds to stop and to start again. Runs alone:
/// one test keeps every core busy.
/// </summary>
[Collection(Alone.Name)]
public sealed class CoreContentionTests : IDisposable
{
    private static readonly long Sample = (long)(CoreContention.SamplePeriod.TotalSeconds * Stopwatch.Frequency);

    private readonly string _schedstat = Path.GetTempFileName();

    public void Dispose() => File.Delete(_schedstat);

    [Fact]
    public void Waiting_for_a_core_most_of_the_time_stops_the_polling_and_it_resumes_only_well_below()
    {
        // Each sample period lasts 20 ms; the file says how many nanoseconds of it the thread waited for a core.
        long now = 0;
        long waited = 0;
        WriteWaited(waited);
        using CoreContention gauge = CoreContention.Open(_schedstat, now) ?? throw new InvalidOperationException("the gauge did not open");

        bool Next(double share)
        {
            waited += (long)(share * CoreContention.SamplePeriod.TotalNanoseconds);
            WriteWaited(waited);
            now += Sample;
            return gauge.IsContended(now);
        }

        Assert.False(gauge.IsContended(now + 1), "no sample is due yet");

        // One long preemption alone does not stop the polling: the share is smoothed over a few samples.
        Assert.False(Next(0.75));
        Assert.True(Next(0.75));

        // It stops until the smoothed share falls under the lower threshold: a few quiet samples, not one.
        Assert.True(Next(0));
        Assert.True(Next(0));
        Assert.True(Next(0));
        Assert.True(Next(0));
        Assert.False(Next(0));

        // Waiting a tenth of the time, which spinning readers on a busy but not oversubscribed machine do, polls on.
        for (int sample = 0; sample < 20; sample++)
        {
            Assert.False(Next(0.1));
        }
    }

    [Fact]
    public void A_file_that_does_not_read_as_schedstat_gives_no_gauge()
    {
        File.WriteAllText(_schedstat, "not numbers\n");
        Assert.Null(CoreContention.Open(_schedstat, 0));
        Assert.Null(CoreContention.Open(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N")), 0));
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

    private void WriteWaited(long nanoseconds) => File.WriteAllText(_schedstat, $"123456 {nanoseconds} 42\n");
}
