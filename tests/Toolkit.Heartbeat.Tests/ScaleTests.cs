namespace Toolkit.Heartbeat.Tests;

/// <summary>One sender, 10,000 targets.</summary>
public sealed class ScaleTests
{
    [Fact]
    public async Task One_sender_requests_10000_targets_once_an_interval_spread_over_it_and_times_out_exactly_the_silent_ones()
    {
        HeartbeatOptions options = new() { Interval = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromSeconds(3), Jitter = 1.0 };
        await using Harness harness = await Harness.StartAsync(options, new Random(42));
        ScriptedTarget[] targets = [.. Enumerable.Range(0, 10_000).Select(i => harness.Target($"t{i}"))];
        await harness.OnMainThread(() =>
        {
            for (int i = 0; i < targets.Length; i++)
            {
                harness.Sender.MonitorTarget($"t{i}", targets[i]);
            }
        });

        await harness.AdvanceAsync(TimeSpan.FromSeconds(10));

        // Once an interval: its first within the first interval, then one a second (a batch goes out up to 1/20 of the
        // interval early, so that the requests due close together leave in one write).
        Assert.All(targets, target =>
        {
            Assert.InRange(target.Requests, 10, 11);
            Assert.InRange(target.RequestTimes[0], 0, 1000);
            Assert.All(target.RequestTimes.Zip(target.RequestTimes.Skip(1)), pair => Assert.InRange(pair.Second - pair.First, 950, 1050));
        });
        // Spread: no 100 ms slice of the interval holds more than twice its share (1,000) of the requests.
        int[] perSlice = new int[10];
        foreach (double at in targets.SelectMany(target => target.RequestTimes))
        {
            perSlice[(int)(at % 1000) / 100]++;
        }

        Assert.All(perSlice, count => Assert.InRange(count, 5_000, 15_000));
        Assert.Empty(harness.Listener.Events);

        // A hundred targets fall silent: exactly those time out, each once.
        for (int i = 0; i < 10_000; i += 100)
        {
            targets[i].Behaviour = ScriptedTarget.Mode.Silent;
        }

        await harness.AdvanceAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(
            Enumerable.Range(0, 100).Select(i => $"t{i * 100}").Order(),
            harness.Listener.Events.Select(e => e.Target).Order());
        Assert.All(harness.Listener.Events, e => Assert.Equal("timeout", e.Kind));
        await harness.OnMainThread(() => Assert.Equal(9_900, harness.Sender.MonitoredCount));
    }
}
