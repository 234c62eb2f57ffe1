using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Toolkit.Heartbeat.Monitoring;
using Toolkit.Rpc;

namespace Toolkit.Heartbeat;

/// <summary>
/// What senders and receivers share (Flink's <c>HeartbeatManagerImpl</c>): the monitored targets, their deadlines, the
/// listener, and the manager's awareness of its own stalls. Everything runs on the owning endpoint's main thread: its
/// methods must be called there, and the listener hears everything there.
/// </summary>
/// <remarks>
/// <para>One timer per manager, armed for the earliest thing due (a deadline, a request, or a pulse), drives it. When
/// that timer runs late by <see cref="HeartbeatOptions.StallThreshold"/> or more, the manager itself was stalled — the
/// process was paused (a GC, SIGSTOP) or its endpoint's main thread was busy — and the stall's length is added to every
/// deadline: deadlines are kept in <em>monitor time</em>, the real time less the stalls, so that silence the manager
/// could not have heard does not count against a target. A stall's start is the last moment the manager was seen
/// running, so it is overestimated by at most one pulse (half the stall threshold).</para>
/// <para>A target that times out or becomes unreachable is no longer monitored: each fires once.</para>
/// </remarks>
/// <typeparam name="TIn">The payload that arrives with heartbeats.</typeparam>
/// <typeparam name="TOut">The payload this side sends.</typeparam>
[DebuggerDisplay("{Name,nq}: {MonitoredCount} target(s)")]
public abstract partial class HeartbeatManager<TIn, TOut> : IDisposable
{
    private readonly Dictionary<string, HeartbeatMonitor> _monitors = new(StringComparer.Ordinal);
    private readonly PriorityQueue<HeartbeatMonitor, long> _deadlines = new();
    private readonly TimeProvider _time;
    private readonly long _origin;
    private readonly ITimer _timer;
    private readonly long _timeoutTicks;
    private readonly long _stallThresholdTicks;
    private readonly long _pulseTicks;
    private readonly long _deadlineSlackTicks;
    private readonly double _phiThresholdDistance;
    private readonly Action<object?> _tick;
    private long _stalledTicks;
    private long _lastAlive;
    private long _armedFor = long.MaxValue;
    private bool _stopped;

    private protected HeartbeatManager(
        RpcEndpoint owner, string ownId, IHeartbeatListener<TIn, TOut> listener, HeartbeatOptions options, HeartbeatMetrics metrics, string name)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentException.ThrowIfNullOrWhiteSpace(ownId);
        ArgumentNullException.ThrowIfNull(listener);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        owner.ValidateRunsInMainThread();
        options.Validate();

        Owner = owner;
        OwnId = ownId;
        Listener = listener;
        Options = options.Clone();
        Metrics = metrics;
        Name = name;
        Logger = owner.Service.LoggerFactory.CreateLogger("Toolkit.Heartbeat");
        _time = owner.Service.TimeProvider;
        _origin = _time.GetTimestamp();
        _timeoutTicks = Options.Timeout.Ticks;
        _stallThresholdTicks = Options.StallThreshold == Timeout.InfiniteTimeSpan ? long.MaxValue : Options.StallThreshold.Ticks;
        _pulseTicks = _stallThresholdTicks == long.MaxValue ? long.MaxValue : Math.Max(1, _stallThresholdTicks / 2);
        _deadlineSlackTicks = Options.Interval.Ticks / 10;
        _phiThresholdDistance = Options.PhiAccrual is { } phi ? PhiAccrualHistory.ThresholdDistance(phi.Threshold) : 0;
        _tick = Tick;
        _timer = _time.CreateTimer(static state => ((HeartbeatManager<TIn, TOut>)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _lastAlive = RealNow;
    }

    /// <summary>The endpoint whose main thread runs this manager.</summary>
    public RpcEndpoint Owner { get; }

    /// <summary>This side's resource id, as targets hear it.</summary>
    public string OwnId { get; }

    /// <summary>The manager's name in logs and metrics.</summary>
    public string Name { get; }

    /// <summary>The options in force (a copy of those the manager was made with).</summary>
    public HeartbeatOptions Options { get; }

    /// <summary>How many targets are monitored.</summary>
    public int MonitoredCount => _monitors.Count;

    /// <summary>The total time this manager found itself stalled; that time does not count against its targets.</summary>
    public TimeSpan StalledTime => TimeSpan.FromTicks(_stalledTicks);

    private protected IHeartbeatListener<TIn, TOut> Listener { get; }

    private protected HeartbeatMetrics Metrics { get; }

    private protected ILogger Logger { get; }

    private protected bool IsStopped => _stopped;

    /// <summary>Real time since the manager was made, in ticks.</summary>
    private protected long RealNow => _time.GetElapsedTime(_origin).Ticks;

    /// <summary>Real time less the stalls, in ticks: deadlines run on this clock.</summary>
    private protected long MonitorNow => RealNow - _stalledTicks;

    private protected long StalledTicks => _stalledTicks;

    /// <summary>Stops monitoring <paramref name="targetId"/>; a reply or heartbeat from it still on its way is ignored.</summary>
    /// <returns>Whether it was monitored.</returns>
    public bool UnmonitorTarget(string targetId)
    {
        Owner.ValidateRunsInMainThread();
        ArgumentNullException.ThrowIfNull(targetId);
        if (!_monitors.Remove(targetId, out HeartbeatMonitor? monitor))
        {
            return false;
        }

        monitor.Removed = true;
        Metrics.Targets(Name, -1);
        return true;
    }

    /// <summary>Whether <paramref name="targetId"/> is monitored.</summary>
    public bool IsMonitoring(string targetId)
    {
        Owner.ValidateRunsInMainThread();
        return _monitors.ContainsKey(targetId);
    }

    /// <summary>What is known of <paramref name="targetId"/>, or null when it is not monitored.</summary>
    public HeartbeatTargetStatus? GetStatus(string targetId)
    {
        Owner.ValidateRunsInMainThread();
        if (!_monitors.TryGetValue(targetId, out HeartbeatMonitor? monitor))
        {
            return null;
        }

        long silence = MonitorNow - monitor.LastHeartbeat;
        return new HeartbeatTargetStatus(
            TimeSpan.FromTicks(silence),
            monitor.HeartbeatCount,
            monitor.ConsecutiveFailures,
            monitor.LastRoundTrip < 0 ? null : TimeSpan.FromTicks(monitor.LastRoundTrip),
            Suspicion(monitor, silence));
    }

    /// <summary>The phi-accrual suspicion level of <paramref name="targetId"/> now (0 when the detector is off or the target is not monitored).</summary>
    public double GetSuspicion(string targetId) => GetStatus(targetId)?.Suspicion ?? 0;

    /// <summary>
    /// Records a heartbeat from <paramref name="targetId"/> that it pushed (not a reply to a request): resets its
    /// deadline and reports <paramref name="payload"/> to the listener. Ignored when the target is not monitored.
    /// </summary>
    /// <returns>Whether the target is monitored.</returns>
    public bool ReceiveHeartbeat(string targetId, TIn payload)
    {
        Owner.ValidateRunsInMainThread();
        ArgumentNullException.ThrowIfNull(targetId);
        if (_stopped || !_monitors.TryGetValue(targetId, out HeartbeatMonitor? monitor))
        {
            return false;
        }

        RecordHeartbeat(monitor);
        Report(monitor, payload);
        return true;
    }

    /// <summary>
    /// Tell the manager that the connection to <paramref name="peer"/> closed (forward the endpoint's
    /// <c>OnRemoteDisconnected</c>): every target monitored with that address is unreachable at once.
    /// </summary>
    public void OnRemoteDisconnected(RpcPeer peer)
    {
        Owner.ValidateRunsInMainThread();
        ArgumentNullException.ThrowIfNull(peer);
        if (_stopped || peer.Address is not { } address)
        {
            return;
        }

        foreach (HeartbeatMonitor monitor in _monitors.Values.Where(monitor => monitor.Address == address).ToList())
        {
            MarkUnreachable(monitor, $"the connection to {peer} closed");
        }
    }

    /// <summary>Stops the manager: no more requests, deadlines or callbacks. Call it from the endpoint's <c>OnStopAsync</c>.</summary>
    public void Stop()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        _timer.Dispose();
        foreach (HeartbeatMonitor monitor in _monitors.Values)
        {
            monitor.Removed = true;
        }

        Metrics.Targets(Name, -_monitors.Count);
        _monitors.Clear();
        _deadlines.Clear();
        OnStopped();
    }

    /// <summary>Stops the manager (<see cref="Stop"/>).</summary>
    public void Dispose()
    {
        if (Owner.IsInMainThread || Owner.State is not (RpcEndpointState.Starting or RpcEndpointState.Running))
        {
            Stop();
        }
        else
        {
            _ = Owner.RunAsync(Stop);
        }

        GC.SuppressFinalize(this);
    }

    private protected HeartbeatMonitor AddMonitor(string targetId, string? address, object? target)
    {
        Owner.ValidateRunsInMainThread();
        ArgumentException.ThrowIfNullOrWhiteSpace(targetId);
        ObjectDisposedException.ThrowIf(_stopped, this);
        HeartbeatMonitor monitor = new(targetId, NormalizeAddress(address), target);
        long now = MonitorNow;
        monitor.LastHeartbeat = now;
        monitor.Deadline = now + _timeoutTicks;
        if (Options.PhiAccrual is { } phi)
        {
            monitor.History = new PhiAccrualHistory(phi.MaxSampleSize, (phi.FirstHeartbeatEstimate ?? Options.Interval).TotalMilliseconds);
        }

        _monitors.Add(targetId, monitor);
        QueueDeadline(monitor);
        Metrics.Targets(Name, 1);
        return monitor;
    }

    private protected bool TryGetMonitor(string targetId, out HeartbeatMonitor monitor) => _monitors.TryGetValue(targetId, out monitor!);

    /// <summary>A heartbeat came from <paramref name="monitor"/>'s target: its deadline starts again.</summary>
    private protected void RecordHeartbeat(HeartbeatMonitor monitor)
    {
        long now = MonitorNow;
        if (monitor.History is { } history && monitor.HeartbeatCount > 0)
        {
            history.Add(TimeSpan.FromTicks(now - monitor.LastHeartbeat).TotalMilliseconds);
        }

        monitor.HeartbeatCount++;
        monitor.LastHeartbeat = now;
        long deadline = now + _timeoutTicks;
        if (monitor.History is { } phiHistory && Options.PhiAccrual is { } phi && monitor.HeartbeatCount > 1)
        {
            double silence = phiHistory.SilenceAtThresholdMillis(_phiThresholdDistance, phi.AcceptableHeartbeatPause.TotalMilliseconds, phi.MinStdDeviation.TotalMilliseconds);
            deadline = Math.Min(deadline, now + (long)Math.Ceiling(silence * TimeSpan.TicksPerMillisecond));
        }

        // A later deadline is picked up when the queued entry comes due; an earlier one (phi) needs an entry of its own.
        monitor.Deadline = deadline;
        if (deadline < monitor.QueuedDeadline)
        {
            QueueDeadline(monitor);
            ArmNoLaterThan(deadline + _stalledTicks);
        }
    }

    private void QueueDeadline(HeartbeatMonitor monitor)
    {
        monitor.QueuedDeadline = monitor.Deadline;
        _deadlines.Enqueue(monitor, monitor.Deadline);
    }

    private protected void Report(HeartbeatMonitor monitor, TIn payload)
    {
        try
        {
            Listener.ReportPayload(monitor.Id, payload);
        }
        catch (Exception exception)
        {
            HeartbeatLog.ListenerFailed(Logger, exception, Name, nameof(IHeartbeatListener<TIn, TOut>.ReportPayload), monitor.Id);
        }
    }

    private protected bool TryRetrievePayload(string targetId, out TOut payload)
    {
        try
        {
            payload = Listener.RetrievePayload(targetId);
            return true;
        }
        catch (Exception exception)
        {
            HeartbeatLog.ListenerFailed(Logger, exception, Name, nameof(IHeartbeatListener<TIn, TOut>.RetrievePayload), targetId);
            payload = default!;
            return false;
        }
    }

    private protected void MarkUnreachable(HeartbeatMonitor monitor, string reason)
    {
        if (monitor.Removed || !_monitors.Remove(monitor.Id))
        {
            return;
        }

        monitor.Removed = true;
        Metrics.Targets(Name, -1);
        Metrics.Unreachable(Name);
        HeartbeatLog.Unreachable(Logger, Name, monitor.Id, reason);
        try
        {
            Listener.NotifyTargetUnreachable(monitor.Id);
        }
        catch (Exception exception)
        {
            HeartbeatLog.ListenerFailed(Logger, exception, Name, nameof(IHeartbeatListener<TIn, TOut>.NotifyTargetUnreachable), monitor.Id);
        }
    }

    /// <summary>The earliest real time at which the subclass has work (a request), or <see cref="long.MaxValue"/>.</summary>
    private protected virtual long NextWorkAt() => long.MaxValue;

    /// <summary>Runs the subclass's due work (requests) at real time <paramref name="now"/>.</summary>
    private protected virtual void RunDueWork(long now)
    {
    }

    private protected virtual void OnStopped()
    {
    }

    private static string? NormalizeAddress(string? address)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            return null;
        }

        // Accept rpc://host:port/endpoint as gateways are addressed, and keep host:port, as RpcPeer.Address is.
        string rest = address.StartsWith("rpc://", StringComparison.OrdinalIgnoreCase) ? address["rpc://".Length..] : address;
        int slash = rest.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? rest : rest[..slash];
    }

    private double Suspicion(HeartbeatMonitor monitor, long silenceTicks) =>
        monitor.History is { } history && Options.PhiAccrual is { } phi && monitor.HeartbeatCount > 0
            ? history.Phi(TimeSpan.FromTicks(silenceTicks).TotalMilliseconds, phi.AcceptableHeartbeatPause.TotalMilliseconds, phi.MinStdDeviation.TotalMilliseconds)
            : 0;
}
