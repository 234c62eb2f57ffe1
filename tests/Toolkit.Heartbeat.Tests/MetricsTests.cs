using System.Diagnostics.Metrics;

namespace Toolkit.Heartbeat.Tests;

/// <summary>Round trips, misses, timeouts and stalls as metrics.</summary>
public sealed class MetricsTests
{
    [Fact]
    public async Task Round_trips_failed_calls_timeouts_and_targets_are_measured_under_the_managers_name()
    {
        using HeartbeatMetrics metrics = new();
        List<(string Instrument, double Value, string? Manager)> measured = [];
        using MeterListener listener = new();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Only this test's metrics: other tests running at the same time have meters of the same name.
            if (ReferenceEquals(instrument.Meter, metrics.Meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.Start();

        HeartbeatOptions options = new() { Interval = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromSeconds(3), Jitter = 0 };
        await using Harness harness = await Harness.StartAsync(options, metrics: metrics);
        ScriptedTarget target = harness.Target("t");
        await harness.OnMainThread(() => harness.Sender.MonitorTarget("t", target));
        await harness.AdvanceAsync(TimeSpan.FromMilliseconds(1500));
        target.Behaviour = ScriptedTarget.Mode.Fail;
        await harness.AdvanceAsync(TimeSpan.FromSeconds(3));

        lock (measured)
        {
            Assert.All(measured, m => Assert.Equal("owner", m.Manager));
            Assert.Equal(2, measured.Count(m => m.Instrument == "toolkit.heartbeat.round_trip"));
            Assert.Equal(4, measured.Where(m => m.Instrument == "toolkit.heartbeat.requests").Sum(m => m.Value));
            Assert.Equal(2, measured.Where(m => m.Instrument == "toolkit.heartbeat.failed_calls").Sum(m => m.Value));
            Assert.Equal(1, measured.Where(m => m.Instrument == "toolkit.heartbeat.unreachable").Sum(m => m.Value));
            Assert.Equal(0, measured.Where(m => m.Instrument == "toolkit.heartbeat.targets").Sum(m => m.Value));
        }

        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string? manager = null;
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                if (tag.Key == "toolkit.heartbeat.manager")
                {
                    manager = tag.Value as string;
                }
            }

            lock (measured)
            {
                measured.Add((instrument.Name, value, manager));
            }
        }
    }
}
