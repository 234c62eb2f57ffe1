using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Toolkit.Rpc.Observability;

/// <summary>
/// A service's metrics (meter <see cref="RpcTelemetry.MeterName"/>, named after OpenTelemetry's semantic conventions for
/// RPC; docs/observability.md lists them). The meter comes from the host's <see cref="IMeterFactory"/> when the service
/// has one (<see cref="RpcServiceOptions.MeterFactory"/>), else the service makes its own and disposes it when it stops.
/// </summary>
/// <remarks>
/// Nothing is measured while nobody listens: every call first asks <see cref="ClientObserved"/> or
/// <see cref="ServerObserved"/> — a few field reads — and takes no timestamp, builds no tags and starts no span when
/// both are false.
/// </remarks>
internal sealed class RpcInstruments : IDisposable
{
    public const string RpcSystem = "toolkit";

    private static readonly string? Version = typeof(RpcInstruments).Assembly.GetName().Version?.ToString(3);

    private readonly Meter _meter;
    private readonly bool _ownsMeter;

    public RpcInstruments(IMeterFactory? factory)
    {
        MeterOptions options = new(RpcTelemetry.MeterName) { Version = Version };
        _ownsMeter = factory is null;
        _meter = factory?.Create(options) ?? new Meter(options);
        ClientDuration = _meter.CreateHistogram<double>(
            "rpc.client.duration", "s", "How long calls made by this service took, from the call until its outcome reached the caller.",
            advice: DurationAdvice);
        ServerDuration = _meter.CreateHistogram<double>(
            "rpc.server.duration", "s", "How long calls served by this service took, from the request's arrival until its reply was queued.",
            advice: DurationAdvice);
        ClientStarted = _meter.CreateCounter<long>("rpc.client.calls.started", "{call}", "Calls made by this service (asks and one-way calls).");
        ClientFailed = _meter.CreateCounter<long>("rpc.client.calls.failed", "{call}", "Calls made by this service that failed, by rpc.toolkit.status.");
        ServerStarted = _meter.CreateCounter<long>("rpc.server.calls.started", "{call}", "Calls served by this service.");
        ServerFailed = _meter.CreateCounter<long>("rpc.server.calls.failed", "{call}", "Calls served by this service whose method failed or that could not run.");
        ClientRequestSize = _meter.CreateHistogram<long>("rpc.client.request.size", "By", "The size of request frames sent to other services.");
        ClientResponseSize = _meter.CreateHistogram<long>("rpc.client.response.size", "By", "The size of the replies received from other services.");
        ServerRequestSize = _meter.CreateHistogram<long>("rpc.server.request.size", "By", "The size of the request frames received from other services.");
        ServerResponseSize = _meter.CreateHistogram<long>("rpc.server.response.size", "By", "The size of the replies sent to other services.");
    }

    // Microsecond calls: the default buckets (5 ms and up) would put every call into the first one.
    private static InstrumentAdvice<double> DurationAdvice { get; } = new()
    {
        HistogramBucketBoundaries = [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    };

    public Meter Meter => _meter;

    public Histogram<double> ClientDuration { get; }

    public Histogram<double> ServerDuration { get; }

    public Counter<long> ClientStarted { get; }

    public Counter<long> ClientFailed { get; }

    public Counter<long> ServerStarted { get; }

    public Counter<long> ServerFailed { get; }

    public Histogram<long> ClientRequestSize { get; }

    public Histogram<long> ClientResponseSize { get; }

    public Histogram<long> ServerRequestSize { get; }

    public Histogram<long> ServerResponseSize { get; }

    /// <summary>Whether a call made now must be observed: some client instrument is listened to, or spans may be recorded.</summary>
    public bool ClientObserved =>
        (ClientDuration.Enabled | ClientStarted.Enabled | ClientFailed.Enabled | ClientRequestSize.Enabled | ClientResponseSize.Enabled)
        || RpcActivities.Source.HasListeners();

    /// <summary>Whether a call served now must be observed: some server instrument is listened to, or spans may be recorded.</summary>
    public bool ServerObserved =>
        (ServerDuration.Enabled | ServerStarted.Enabled | ServerFailed.Enabled | ServerRequestSize.Enabled | ServerResponseSize.Enabled)
        || RpcActivities.Source.HasListeners();

    /// <summary>Whether a local call made now must be observed: it is both sides' at once.</summary>
    public bool LocalObserved =>
        (ClientDuration.Enabled | ClientStarted.Enabled | ClientFailed.Enabled | ServerDuration.Enabled | ServerStarted.Enabled | ServerFailed.Enabled)
        || RpcActivities.Source.HasListeners();

    /// <summary>Adds the gauges read from the service's state when a listener collects: pending calls, connections, mailboxes.</summary>
    public void ObserveService(Func<IEnumerable<Measurement<long>>> pendingCalls, Func<IEnumerable<Measurement<long>>> activeCalls,
        Func<IEnumerable<Measurement<long>>> openConnections, Func<IEnumerable<Measurement<long>>> mailboxDepths)
    {
        _meter.CreateObservableUpDownCounter("rpc.client.calls.pending", pendingCalls, "{call}", "Asks sent to other services that await their reply.");
        _meter.CreateObservableUpDownCounter("rpc.server.calls.active", activeCalls, "{call}", "Calls from other services that run or wait in a mailbox here.");
        _meter.CreateObservableUpDownCounter("rpc.connections.open", openConnections, "{connection}", "Open connections to other services, by rpc.toolkit.direction.");
        _meter.CreateObservableGauge("rpc.endpoint.mailbox.depth", mailboxDepths, "{item}", "Work queued for an endpoint's main thread, by rpc.toolkit.endpoint.");
    }

    /// <summary>The dimensions of a call's measurements: system, gateway, method, and the outcome when it has one.</summary>
    public static TagList Tags(RpcMethodDescriptor method, string? status)
    {
        TagList tags = new()
        {
            { "rpc.system", RpcSystem },
            { "rpc.service", method.Gateway.Name },
            { "rpc.method", method.Name },
        };
        if (status is not null)
        {
            tags.Add("rpc.toolkit.status", status);
            if (!ReferenceEquals(status, CallStatus.Ok))
            {
                tags.Add("error.type", status);
            }
        }

        return tags;
    }

    /// <summary>Seconds since <paramref name="started"/>, a <see cref="Stopwatch"/> timestamp.</summary>
    public static double SecondsSince(long started) => Stopwatch.GetElapsedTime(started).TotalSeconds;

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
