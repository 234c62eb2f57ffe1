using MiniCluster.Contracts;

namespace MiniCluster.Hosting;

/// <summary>The embedded run's settings.</summary>
/// <param name="KillExecutor">Stop executor-1 when half the maps are done, to watch its tasks deployed again.</param>
/// <param name="KeepOpen">Keep the cluster (and its dashboard) running after the job until Ctrl+C.</param>
public sealed record EmbeddedRunOptions(int Executors, int Slots, string DashboardUrl, JobSpec Job, bool KillExecutor, bool KeepOpen);
