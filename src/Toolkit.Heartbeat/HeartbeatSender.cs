using Toolkit.Heartbeat.Monitoring;
using Toolkit.Rpc;

namespace Toolkit.Heartbeat;

/// <summary>
/// The side that asks (Flink's <c>HeartbeatManagerSenderImpl</c>, a resource manager towards its task executors): every
/// interval it requests a heartbeat from each target, whose reply carries the target's payload. A target times out when
/// it has not answered for <see cref="HeartbeatOptions.Timeout"/>, and is unreachable after
/// <see cref="HeartbeatOptions.FailureThreshold"/> failed calls in a row — at once when its connection is refused or
/// closes. Make it on the owning endpoint's main thread (in <c>OnStartAsync</c>) and call it only there.
/// </summary>
/// <typeparam name="TIn">The targets' payload (their replies).</typeparam>
/// <typeparam name="TOut">This side's payload (its requests).</typeparam>
public sealed class HeartbeatSender<TIn, TOut> : HeartbeatManager<TIn, TOut>
{
    // Requests by due time (real time). Each target has a fixed phase, so that a sender's targets stay spread over the
    // interval; the due ones within a small window go out together, as one batch of writes.
    private readonly PriorityQueue<HeartbeatMonitor, long> _requests = new();
    private readonly Random _random;
    private readonly long _intervalTicks;
    private readonly long _batchTicks;
    private readonly TimeSpan _requestTimeout;
    private readonly Action<Task<TIn>, object?> _onReply;

    /// <summary>One request in flight: when it left, and the manager's stall total then.</summary>
    private sealed record Request(HeartbeatMonitor Monitor, long SentAt, long StalledAt);

    internal HeartbeatSender(
        RpcEndpoint owner, string ownId, IHeartbeatListener<TIn, TOut> listener, HeartbeatOptions options, HeartbeatMetrics metrics, string name, Random? random)
        : base(owner, ownId, listener, options, metrics, name)
    {
        _random = random ?? new Random();
        _intervalTicks = Options.Interval.Ticks;
        _batchTicks = _intervalTicks / 20;
        _requestTimeout = Options.EffectiveRequestTimeout;
        _onReply = (task, state) => OnReply((Request)state!, task);
    }

    /// <summary>
    /// Starts monitoring <paramref name="targetId"/>: requests go out through <paramref name="target"/>, the first
    /// within <c>Jitter × Interval</c>, and it times out <see cref="HeartbeatOptions.Timeout"/> from now if it never answers.
    /// </summary>
    /// <param name="targetId">The target's resource id.</param>
    /// <param name="target">How to request a heartbeat from it (a gateway call).</param>
    /// <param name="address">
    /// The target's service (<c>host:port</c> or <c>rpc://host:port/endpoint</c>), so that <see cref="HeartbeatManager{TIn, TOut}.OnRemoteDisconnected"/>
    /// can find it; optional.
    /// </param>
    /// <returns>False when the target was monitored already (nothing changes).</returns>
    public bool MonitorTarget(string targetId, IHeartbeatTarget<TOut, TIn> target, string? address = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        Owner.ValidateRunsInMainThread();
        ArgumentException.ThrowIfNullOrWhiteSpace(targetId);
        if (TryGetMonitor(targetId, out _))
        {
            return false;
        }

        HeartbeatMonitor monitor = AddMonitor(targetId, address, target);
        long spread = (long)(_intervalTicks * Options.Jitter);
        monitor.NextRequest = RealNow + (spread > 0 ? _random.NextInt64(spread) : 0);
        _requests.Enqueue(monitor, monitor.NextRequest);
        ArmNoLaterThan(monitor.NextRequest);
        return true;
    }

    /// <summary>Requests a heartbeat from <paramref name="targetId"/> now, outside its schedule (Flink's <c>requestHeartbeat</c> on demand).</summary>
    /// <returns>Whether the target is monitored.</returns>
    public bool RequestHeartbeatNow(string targetId)
    {
        Owner.ValidateRunsInMainThread();
        if (IsStopped || !TryGetMonitor(targetId, out HeartbeatMonitor monitor))
        {
            return false;
        }

        Send(monitor, RealNow);
        return true;
    }

    private protected override long NextWorkAt() => _requests.TryPeek(out _, out long due) ? due : long.MaxValue;

    private protected override void RunDueWork(long now)
    {
        while (!IsStopped && _requests.TryPeek(out HeartbeatMonitor? monitor, out long due) && due <= now + _batchTicks)
        {
            _requests.Dequeue();
            if (monitor.Removed)
            {
                continue;
            }

            // Sent even while an earlier request is in flight (as Flink does): each fails on its own timeout, so that a
            // frozen target misses one request per interval and is unreachable after the threshold's worth of intervals.
            Send(monitor, now);

            // Keep the phase: after a stall, skip the requests that fell in it rather than send them all at once.
            long next = monitor.NextRequest + _intervalTicks;
            if (next <= now)
            {
                next += ((now - next) / _intervalTicks + 1) * _intervalTicks;
            }

            monitor.NextRequest = next;
            _requests.Enqueue(monitor, next);
        }
    }

    private protected override void OnStopped() => _requests.Clear();

    private void Send(HeartbeatMonitor monitor, long now)
    {
        if (!TryRetrievePayload(monitor.Id, out TOut payload))
        {
            return;
        }

        Request request = new(monitor, now, StalledTicks);
        Metrics.Requested(Name);
        Task<TIn> call;
        try
        {
            call = ((IHeartbeatTarget<TOut, TIn>)monitor.Target!).RequestHeartbeatAsync(OwnId, payload, _requestTimeout)
                ?? Task.FromException<TIn>(new InvalidOperationException($"The heartbeat target of {monitor.Id} returned a null task."));
        }
        catch (Exception exception)
        {
            call = Task.FromException<TIn>(exception);
        }

        if (call.IsCompleted)
        {
            OnReply(request, call);
        }
        else
        {
            // The reply is handled on the main thread, as everything of this manager is.
            call.ContinueWith(_onReply, request, CancellationToken.None, TaskContinuationOptions.None, Owner.MainThreadScheduler);
        }
    }

    private void OnReply(Request request, Task<TIn> call)
    {
        HeartbeatMonitor monitor = request.Monitor;
        if (IsStopped || monitor.Removed)
        {
            _ = call.Exception;
            return;
        }

        if (call.IsCompletedSuccessfully)
        {
            long roundTrip = RealNow - request.SentAt;
            monitor.LastRoundTrip = roundTrip;
            monitor.ConsecutiveFailures = 0;
            Metrics.RoundTrip(Name, TimeSpan.FromTicks(roundTrip));
            RecordHeartbeat(monitor);
            Report(monitor, call.Result);
            return;
        }

        Exception error = call.Exception?.GetBaseException() ?? new TaskCanceledException(call);
        Metrics.FailedCall(Name, error);
        if (error is RpcConnectionException)
        {
            MarkUnreachable(monitor, $"its connection was refused or closed: {error.Message}");
            return;
        }

        if (error is RpcTimeoutException && StalledTicks != request.StalledAt)
        {
            // The call timed out across a stall of ours: the target may well have answered while we could not listen.
            return;
        }

        monitor.ConsecutiveFailures++;
        HeartbeatLog.CallFailed(Logger, Name, monitor.Id, monitor.ConsecutiveFailures, error.Message);
        if (Options.FailureThreshold > 0 && monitor.ConsecutiveFailures >= Options.FailureThreshold)
        {
            MarkUnreachable(monitor, $"{monitor.ConsecutiveFailures} heartbeat calls in a row failed, the last with {error.GetType().Name}: {error.Message}");
        }
    }
}
