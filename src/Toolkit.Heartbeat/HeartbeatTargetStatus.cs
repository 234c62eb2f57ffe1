namespace Toolkit.Heartbeat;

/// <summary>What a manager knows of one monitored target.</summary>
/// <param name="SinceLastHeartbeat">The silence since the target's last heartbeat (since monitoring began, before the first), not counting the manager's own stalls.</param>
/// <param name="Heartbeats">How many heartbeats came from the target.</param>
/// <param name="ConsecutiveFailures">Failed heartbeat calls in a row (sender only).</param>
/// <param name="LastRoundTrip">The round trip of the last successful heartbeat call (sender only), or null.</param>
/// <param name="Suspicion">The phi-accrual suspicion level, or 0 when the detector is off.</param>
public readonly record struct HeartbeatTargetStatus(
    TimeSpan SinceLastHeartbeat,
    long Heartbeats,
    int ConsecutiveFailures,
    TimeSpan? LastRoundTrip,
    double Suspicion);
