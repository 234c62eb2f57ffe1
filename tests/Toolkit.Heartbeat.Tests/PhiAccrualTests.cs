namespace Toolkit.Heartbeat.Tests;

/// <summary>The optional phi-accrual detector: a suspicion level that rises with silence, and earlier timeouts for regular targets.</summary>
public sealed class PhiAccrualTests
{
    [Fact]
    public async Task Suspicion_rises_with_silence_and_times_a_regular_target_out_before_the_fixed_timeout()
    {
        HeartbeatOptions options = new()
        {
            Interval = TimeSpan.FromSeconds(1),
            Timeout = TimeSpan.FromSeconds(60),
            Jitter = 0,
            PhiAccrual = new PhiAccrualOptions { AcceptableHeartbeatPause = TimeSpan.Zero },
        };
        await using Harness harness = await Harness.StartAsync(options);
        ScriptedTarget target = harness.Target("t");
        await harness.OnMainThread(() => harness.Sender.MonitorTarget("t", target));
        await harness.AdvanceAsync(TimeSpan.FromMilliseconds(20_500));
        target.Behaviour = ScriptedTarget.Mode.Silent;

        List<double> suspicion = [];
        for (int i = 0; i < 5; i++)
        {
            await harness.OnMainThread(() => suspicion.Add(harness.Sender.GetSuspicion("t")));
            await harness.AdvanceAsync(TimeSpan.FromMilliseconds(200));
        }

        // 500 ms of silence after heartbeats every second: hardly suspicious; then rising with each 200 ms.
        Assert.True(suspicion[0] < 0.5, $"phi after 500 ms was {suspicion[0]}");
        Assert.True(suspicion.Zip(suspicion.Skip(1)).All(pair => pair.Second > pair.First), string.Join(", ", suspicion));
        await harness.AdvanceAsync(TimeSpan.FromSeconds(5));

        // Timed out when phi reached 8, a few standard deviations past the mean, long before the 60 s timeout.
        HeardEvent timeout = Assert.Single(harness.Listener.Events);
        Assert.Equal("timeout", timeout.Kind);
        Assert.InRange(timeout.AtMs - 20_000, 1_300, 3_000);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(8.0)]
    [InlineData(16.0)]
    public void The_threshold_distance_is_where_phi_equals_the_threshold(double threshold)
    {
        Monitoring.PhiAccrualHistory history = new(100, 1000);
        double y = Monitoring.PhiAccrualHistory.ThresholdDistance(threshold);
        double silence = history.SilenceAtThresholdMillis(y, 0, 100);
        Assert.Equal(threshold, history.Phi(silence, 0, 100), 6);
    }
}
