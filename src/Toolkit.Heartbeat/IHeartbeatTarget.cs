namespace Toolkit.Heartbeat;

/// <summary>
/// A sender's handle on one monitored target: usually a gateway call to the target's endpoint, whose reply is the
/// target's heartbeat (the receiver side answers it with <see cref="HeartbeatReceiver{TIn, TOut}.RequestHeartbeat"/>).
/// </summary>
/// <typeparam name="TRequest">The sender's payload.</typeparam>
/// <typeparam name="TReply">The target's payload.</typeparam>
/// <example>
/// <code>
/// sender.MonitorTarget(id, HeartbeatTarget.Create&lt;SlotReport, Empty&gt;((from, payload, timeout) =&gt;
///     taskExecutor.HeartbeatFromResourceManagerAsync(from, payload, timeout)));
/// </code>
/// </example>
public interface IHeartbeatTarget<in TRequest, TReply>
{
    /// <summary>
    /// Asks the target for a heartbeat. The task's result is the target's payload; a failed task is a failed heartbeat
    /// call (an <see cref="Toolkit.Rpc.RpcConnectionException"/> makes the target unreachable at once).
    /// </summary>
    /// <param name="senderId">The sender's resource id.</param>
    /// <param name="payload">The sender's payload.</param>
    /// <param name="timeout">How long the call may take; pass it to the gateway method's <c>[RpcTimeout]</c> parameter.</param>
    Task<TReply> RequestHeartbeatAsync(string senderId, TRequest payload, TimeSpan timeout);
}

/// <summary>Makes heartbeat targets from delegates.</summary>
public static class HeartbeatTarget
{
    /// <summary>A target whose heartbeat call is <paramref name="request"/>.</summary>
    public static IHeartbeatTarget<TRequest, TReply> Create<TRequest, TReply>(Func<string, TRequest, TimeSpan, Task<TReply>> request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new DelegateTarget<TRequest, TReply>(request);
    }

    private sealed class DelegateTarget<TRequest, TReply>(Func<string, TRequest, TimeSpan, Task<TReply>> request) : IHeartbeatTarget<TRequest, TReply>
    {
        public Task<TReply> RequestHeartbeatAsync(string senderId, TRequest payload, TimeSpan timeout) => request(senderId, payload, timeout);
    }
}
