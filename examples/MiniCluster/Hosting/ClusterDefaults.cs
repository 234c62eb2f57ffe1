using Toolkit.Heartbeat;

namespace MiniCluster.Hosting;

/// <summary>The cluster's timing: fast enough to see a failure handled within seconds in a demo.</summary>
public static class ClusterDefaults
{
    /// <summary>Resource manager → executors: a request every second; a frozen executor is unreachable after two missed ones, a dead one at once.</summary>
    public static void Heartbeats(HeartbeatOptions options)
    {
        options.Interval = TimeSpan.FromSeconds(1);
        options.Timeout = TimeSpan.FromSeconds(5);
        options.FailureThreshold = 2;
    }
}
