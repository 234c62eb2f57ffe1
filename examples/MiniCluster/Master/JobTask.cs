using MiniCluster.Contracts;

namespace MiniCluster.Master;

/// <summary>One task of a job as its job master tracks it: where it runs, which attempt, and its output once finished.</summary>
internal sealed class JobTask(TaskKind kind, int index)
{
    public TaskKind Kind { get; } = kind;

    public int Index { get; } = index;

    public string Id { get; } = (kind == TaskKind.Map ? "map-" : "reduce-") + index;

    public TaskState State { get; set; } = TaskState.Pending;

    /// <summary>The latest deployment's number (1 for the first); reports of other attempts are stale.</summary>
    public int Attempt { get; set; }

    public SlotAllocation? Slot { get; set; }

    public PartitionCounts[]? Output { get; set; }

    public TaskView View() => new(Id, State, Slot?.Slot.ExecutorId, Attempt);
}
