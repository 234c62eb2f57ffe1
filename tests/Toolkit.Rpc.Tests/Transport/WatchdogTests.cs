using System.Diagnostics;
using System.Globalization;
using Toolkit.Rpc.Tests.Endpoints;
using Toolkit.Rpc.Tests.Infrastructure;

namespace Toolkit.Rpc.Tests.Transport;

/// <summary>
/// The transport's watchdog: readers that spin idle do its looking, and its own thread, whose wake-ups would take a
/// core from a reader, rests meanwhile. Runs alone: other tests' load would stop the reader from spinning.
/// </summary>
[Collection(Alone.Name)]
public sealed class WatchdogTests
{
    [Fact]
    public async Task While_a_reader_spins_the_watchdog_thread_rests()
    {
        await using Probe probe = await Probe.StartAsync(CallPath.Remote);
        await probe.Gateway.IncrementAsync(1);
        int watchdog = FindThread("Toolkit.Rpc wat");
        long wakesBefore = VoluntarySwitches(watchdog);

        // Calls back to back for two seconds: between a reply and the next request the readers spin, and look for
        // stalls themselves. A watchdog thread that looked on its own would wake twenty times meanwhile.
        Stopwatch elapsed = Stopwatch.StartNew();
        long calls = 0;
        while (elapsed.Elapsed < TimeSpan.FromSeconds(2))
        {
            await probe.Gateway.IncrementAsync(1);
            calls++;
        }

        long wakes = VoluntarySwitches(watchdog) - wakesBefore;
        Assert.True(
            wakes <= 12,
            $"the watchdog thread woke {wakes} times in {elapsed.Elapsed.TotalSeconds:0.0} s while {calls} calls kept a reader spinning");
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
