using Toolkit.Heartbeat.Monitoring;
using Toolkit.Rpc;

namespace Toolkit.Heartbeat;

/// <summary>
/// The side that answers (Flink's <c>HeartbeatManagerImpl</c>, a task executor towards its resource manager): the
/// endpoint's gateway method that the sender calls passes the request to <see cref="RequestHeartbeat"/> and returns what
/// it returns. The requesters it monitors time out when no request came for <see cref="HeartbeatOptions.Timeout"/>.
/// Make it on the owning endpoint's main thread (in <c>OnStartAsync</c>) and call it only there.
/// </summary>
/// <typeparam name="TIn">The requesters' payload.</typeparam>
/// <typeparam name="TOut">This side's payload (the replies).</typeparam>
/// <example>
/// <code>
/// public Task&lt;SlotReport&gt; HeartbeatFromResourceManagerAsync(string resourceManagerId, Empty payload, TimeSpan timeout) =&gt;
///     Task.FromResult(_resourceManagerHeartbeats.RequestHeartbeat(resourceManagerId, payload));
/// </code>
/// </example>
public sealed class HeartbeatReceiver<TIn, TOut> : HeartbeatManager<TIn, TOut>
{
    internal HeartbeatReceiver(RpcEndpoint owner, string ownId, IHeartbeatListener<TIn, TOut> listener, HeartbeatOptions options, HeartbeatMetrics metrics, string name)
        : base(owner, ownId, listener, options, metrics, name)
    {
    }

    /// <summary>
    /// Starts monitoring requester <paramref name="targetId"/>: it times out <see cref="HeartbeatOptions.Timeout"/> after
    /// its last request (or from now, if none comes).
    /// </summary>
    /// <param name="targetId">The requester's resource id.</param>
    /// <param name="address">Its service (<c>host:port</c> or <c>rpc://host:port/endpoint</c>), for <see cref="HeartbeatManager{TIn, TOut}.OnRemoteDisconnected"/>; optional.</param>
    /// <returns>False when it was monitored already.</returns>
    public bool MonitorTarget(string targetId, string? address = null)
    {
        Owner.ValidateRunsInMainThread();
        ArgumentException.ThrowIfNullOrWhiteSpace(targetId);
        if (TryGetMonitor(targetId, out _))
        {
            return false;
        }

        HeartbeatMonitor monitor = AddMonitor(targetId, address, target: null);
        ArmNoLaterThan(monitor.Deadline + StalledTicks);
        return true;
    }

    /// <summary>
    /// Answers a heartbeat request from <paramref name="requesterId"/>: records it as a heartbeat (when monitored),
    /// reports <paramref name="payload"/> to the listener, and returns the listener's payload for the requester.
    /// </summary>
    public TOut RequestHeartbeat(string requesterId, TIn payload)
    {
        ReceiveHeartbeat(requesterId, payload);
        return TryRetrievePayload(requesterId, out TOut reply)
            ? reply
            : throw new InvalidOperationException($"Heartbeat manager {Name} has no payload for {requesterId}: the listener's RetrievePayload threw (logged).");
    }
}
