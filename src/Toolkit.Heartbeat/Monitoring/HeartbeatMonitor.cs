using System.Diagnostics;

namespace Toolkit.Heartbeat.Monitoring;

/// <summary>One monitored target of one manager. Touched only on the owning endpoint's main thread.</summary>
[DebuggerDisplay("{Id,nq}: deadline {Deadline}, {ConsecutiveFailures} failure(s)")]
internal sealed class HeartbeatMonitor(string id, string? address, object? target)
{
    public string Id { get; } = id;

    /// <summary>The target's service as <c>host:port</c>, when known: its connection closing makes the target unreachable.</summary>
    public string? Address { get; } = address;

    /// <summary>The sender's <see cref="IHeartbeatTarget{TRequest, TReply}"/>; null on a receiver.</summary>
    public object? Target { get; } = target;

    /// <summary>Set when the target is no longer monitored; queued entries and late replies for it are then ignored.</summary>
    public bool Removed { get; set; }

    /// <summary>When the last heartbeat came, in monitor time (stalls excluded); the start of monitoring before the first.</summary>
    public long LastHeartbeat { get; set; }

    /// <summary>When the target times out, in monitor time.</summary>
    public long Deadline { get; set; }

    /// <summary>The key of the target's live entry in the deadline queue; entries with another key are stale and dropped.</summary>
    public long QueuedDeadline { get; set; }

    /// <summary>When the next request is due, in real time (sender only).</summary>
    public long NextRequest { get; set; }

    public int ConsecutiveFailures { get; set; }

    public long HeartbeatCount { get; set; }

    /// <summary>The last round trip of a heartbeat call, in ticks; -1 before the first.</summary>
    public long LastRoundTrip { get; set; } = -1;

    /// <summary>The inter-arrival history, when the phi-accrual detector is on.</summary>
    public PhiAccrualHistory? History { get; set; }
}
