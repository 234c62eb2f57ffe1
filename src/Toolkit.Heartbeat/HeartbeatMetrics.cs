using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Toolkit.Heartbeat;

/// <summary>
/// The heartbeat managers' instruments, on the meter <c>Toolkit.Heartbeat</c>; every measurement is tagged with the
/// manager's name (<c>toolkit.heartbeat.manager</c>).
/// </summary>
/// <remarks>
/// Instruments: <c>toolkit.heartbeat.round_trip</c> (histogram, s), <c>toolkit.heartbeat.requests</c>,
/// <c>toolkit.heartbeat.failed_calls</c> (tagged <c>error.type</c>), <c>toolkit.heartbeat.timeouts</c>,
/// <c>toolkit.heartbeat.unreachable</c>, <c>toolkit.heartbeat.stalls</c> (counters), <c>toolkit.heartbeat.stall_duration</c>
/// (histogram, s) and <c>toolkit.heartbeat.targets</c> (up-down counter).
/// </remarks>
public sealed class HeartbeatMetrics : IDisposable
{
    /// <summary>The meter's name, for a metrics exporter's configuration.</summary>
    public const string MeterName = "Toolkit.Heartbeat";

    private const string ManagerTag = "toolkit.heartbeat.manager";
    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Histogram<double> _roundTrip;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _failedCalls;
    private readonly Counter<long> _timeouts;
    private readonly Counter<long> _unreachable;
    private readonly Counter<long> _stalls;
    private readonly Histogram<double> _stallDuration;
    private readonly UpDownCounter<long> _targets;

    /// <summary>Creates the instruments on a meter of <paramref name="meterFactory"/>, or on a meter of their own when it is null.</summary>
    public HeartbeatMetrics(IMeterFactory? meterFactory = null)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _roundTrip = _meter.CreateHistogram<double>("toolkit.heartbeat.round_trip", "s", "Round trip of successful heartbeat calls.");
        _requests = _meter.CreateCounter<long>("toolkit.heartbeat.requests", "{request}", "Heartbeat calls made.");
        _failedCalls = _meter.CreateCounter<long>("toolkit.heartbeat.failed_calls", "{request}", "Heartbeat calls that failed (misses).");
        _timeouts = _meter.CreateCounter<long>("toolkit.heartbeat.timeouts", "{target}", "Targets timed out.");
        _unreachable = _meter.CreateCounter<long>("toolkit.heartbeat.unreachable", "{target}", "Targets found unreachable.");
        _stalls = _meter.CreateCounter<long>("toolkit.heartbeat.stalls", "{stall}", "Stalls of the monitoring side that moved deadlines.");
        _stallDuration = _meter.CreateHistogram<double>("toolkit.heartbeat.stall_duration", "s", "How long the monitoring side was stalled.");
        _targets = _meter.CreateUpDownCounter<long>("toolkit.heartbeat.targets", "{target}", "Targets monitored.");
    }

    /// <summary>The meter the instruments are on.</summary>
    public Meter Meter => _meter;

    internal void RoundTrip(string manager, TimeSpan elapsed) => _roundTrip.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>(ManagerTag, manager));

    internal void Requested(string manager) => _requests.Add(1, new KeyValuePair<string, object?>(ManagerTag, manager));

    internal void FailedCall(string manager, Exception error) =>
        _failedCalls.Add(1, new TagList { { ManagerTag, manager }, { "error.type", error.GetType().Name } });

    internal void TimedOut(string manager) => _timeouts.Add(1, new KeyValuePair<string, object?>(ManagerTag, manager));

    internal void Unreachable(string manager) => _unreachable.Add(1, new KeyValuePair<string, object?>(ManagerTag, manager));

    internal void Stalled(string manager, TimeSpan duration)
    {
        _stalls.Add(1, new KeyValuePair<string, object?>(ManagerTag, manager));
        _stallDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>(ManagerTag, manager));
    }

    internal void Targets(string manager, long delta) => _targets.Add(delta, new KeyValuePair<string, object?>(ManagerTag, manager));

    /// <summary>Disposes the meter if these metrics made it themselves.</summary>
    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
