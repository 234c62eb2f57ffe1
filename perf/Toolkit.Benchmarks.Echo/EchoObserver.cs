using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Toolkit.Benchmarks.Echo;

/// <summary>
/// With <c>ECHO_OBSERVE=1</c> in the environment, each process listens to every Toolkit.Rpc instrument and records every
/// span (sampled AllDataAndRecorded): what docs/observability.md measures as the cost of full observation;
/// <c>ECHO_OBSERVE=metrics</c> or <c>traces</c> does only the one. The callbacks only count, as the cheapest real
/// consumer would; an exporter's own cost comes on top.
/// </summary>
internal sealed class EchoObserver : IDisposable
{
    private readonly MeterListener _meters = new();
    private readonly ActivityListener _spans;
    private long _measurements;
    private long _spansStopped;

    private EchoObserver(bool metrics, bool traces)
    {
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (metrics && instrument.Meter.Name == RpcTelemetry.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meters.SetMeasurementEventCallback<double>((_, _, _, _) => Interlocked.Increment(ref _measurements));
        _meters.SetMeasurementEventCallback<long>((_, _, _, _) => Interlocked.Increment(ref _measurements));
        _meters.Start();
        _spans = new ActivityListener
        {
            ShouldListenTo = source => traces && source.Name == RpcTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _ => Interlocked.Increment(ref _spansStopped),
        };
        ActivitySource.AddActivityListener(_spans);
    }

    /// <summary>An observer when ECHO_OBSERVE is 1, metrics or traces; else null.</summary>
    public static EchoObserver? FromEnvironment() => Environment.GetEnvironmentVariable("ECHO_OBSERVE") switch
    {
        "1" => new EchoObserver(metrics: true, traces: true),
        "metrics" => new EchoObserver(metrics: true, traces: false),
        "traces" => new EchoObserver(metrics: false, traces: true),
        _ => null,
    };

    public string Summary => $"observed: {Interlocked.Read(ref _measurements):N0} measurements, {Interlocked.Read(ref _spansStopped):N0} spans";

    public void Dispose()
    {
        _meters.Dispose();
        _spans.Dispose();
    }
}
