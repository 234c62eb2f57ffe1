namespace Toolkit.Heartbeat;

/// <summary>
/// What the owner of a heartbeat manager hears, always on its endpoint's main thread (Flink's <c>HeartbeatListener</c>).
/// </summary>
/// <typeparam name="TIn">The payload that arrives with a heartbeat (a sender's reply, a receiver's request).</typeparam>
/// <typeparam name="TOut">The payload this side sends (a sender's request, a receiver's reply).</typeparam>
public interface IHeartbeatListener<in TIn, out TOut>
{
    /// <summary>
    /// <paramref name="targetId"/> sent no heartbeat within the timeout (or its phi rose past the threshold). It is no
    /// longer monitored; monitor it again to resume.
    /// </summary>
    void NotifyHeartbeatTimeout(string targetId);

    /// <summary>
    /// <paramref name="targetId"/> cannot be reached: its connection was refused or closed, or too many heartbeat calls
    /// in a row failed. It is no longer monitored; monitor it again to resume.
    /// </summary>
    void NotifyTargetUnreachable(string targetId);

    /// <summary>A heartbeat from <paramref name="targetId"/> carried <paramref name="payload"/>.</summary>
    void ReportPayload(string targetId, TIn payload);

    /// <summary>The payload to send to <paramref name="targetId"/> with the next heartbeat.</summary>
    TOut RetrievePayload(string targetId);
}
