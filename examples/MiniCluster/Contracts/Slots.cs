namespace MiniCluster.Contracts;

/// <summary>One slot of one executor.</summary>
public sealed record SlotId(string ExecutorId, int Index)
{
    public override string ToString() => $"{ExecutorId}#{Index}";
}

/// <summary>A slot given to a job, with the executor to deploy into.</summary>
public sealed record SlotAllocation(SlotId Slot, ITaskExecutorGateway Executor);

/// <summary>What one slot holds: nothing, or a job's task.</summary>
public sealed record SlotView(int Index, string? JobId, string? TaskId);

/// <summary>An executor's heartbeat payload: its slots as it sees them.</summary>
public sealed record SlotReport(string ExecutorId, SlotView[] Slots);

/// <summary>The resource manager's heartbeat payload: the epoch it leads in.</summary>
public sealed record ManagerHeartbeat(long Epoch);

/// <summary>The resource manager's view of its executors.</summary>
public sealed record ResourceOverview(long Epoch, ExecutorView[] Executors);

/// <summary>One registered executor, for the dashboard.</summary>
/// <param name="HeartbeatAgeSeconds">The silence since its last heartbeat.</param>
public sealed record ExecutorView(string ExecutorId, string? Address, int Slots, SlotView[] SlotTable, double HeartbeatAgeSeconds, DateTimeOffset RegisteredAt);
