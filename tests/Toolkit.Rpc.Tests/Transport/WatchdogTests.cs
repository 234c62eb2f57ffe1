using System.Diagnostics;
using System.Globalization;
using Toolkit.Rpc.Tests.Endpoints;
using Toolkit.Rpc.Tests.Infrastructure;
using Toolkit.Rpc.Transport;

namespace Toolkit.Rpc.Tests.Transport;

/// <summary>
/// The transport's watchdog: readers that spin idle do its looking, and its own thread, whose wake-ups would take a
/// core from a reader, rests meanwhile. Runs alone: it counts the watchdog thread's wake-ups, and keeps a core busy.
/// </summary>
[Collection(Alone.Name)]
public sealed class WatchdogTests
{
    [Fact]
    public async Task While_a_spinning_reader_looks_the_watchdog_thread_rests()
    {
        // A connection, so that the watchdog thread runs.
        await using Probe probe = await Probe.StartAsync(CallPath.Remote);
        await probe.Gateway.IncrementAsync(1);
        int watchdog = FindThread("Toolkit.Rpc wat");
        long wakesBefore = VoluntarySwitches(watchdog);

        // For two seconds a thread does what a spinning reader does on each turn of its spin (whether the readers
        // spin meanwhile depends on the machine's load: they stop while the cores are oversubscribed). A watchdog
        // thread that looked on its own would wake twenty times meanwhile.
        Stopwatch elapsed = Stopwatch.StartNew();
        await Task.Factory.StartNew(
            () =>
            {
                while (elapsed.Elapsed < TimeSpan.FromSeconds(2))
                {
                    TransportWatchdog.OnSpin(Stopwatch.GetTimestamp());
                    Thread.SpinWait(100);
                }
            },
            TaskCreationOptions.LongRunning);

        long wakes = VoluntarySwitches(watchdog) - wakesBefore;
        Assert.True(wakes <= 12, $"the watchdog thread woke {wakes} times in {elapsed.Elapsed.TotalSeconds:0.0} s while a spinning reader looked");
    }

    /// <summary>The id of this process's one live thread named <paramref name="name"/> (as <c>/proc</c> shows it: at most 15 characters).</summary>
    private static int FindThread(string name)
    {
        int[] matches = [.. Directory.GetDirectories("/proc/self/task")
            .Where(task => File.Exists(Path.Combine(task, "comm")) && File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n') == name)
            .Select(task => int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture))];
        return Assert.Single(matches);
    }

    /// <summary>How often thread <paramref name="threadId"/> of this process has slept so far.</summary>
    private static long VoluntarySwitches(int threadId)
    {
        string line = File.ReadLines($"/proc/self/task/{threadId}/status").Single(line => line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal));
        return long.Parse(line["voluntary_ctxt_switches:".Length..].Trim(), CultureInfo.InvariantCulture);
    }
}
