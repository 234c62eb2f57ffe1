namespace MiniCluster.Contracts;

/// <summary>Map tasks count the words of one input shard; reduce tasks merge one partition of every map's counts.</summary>
public enum TaskKind
{
    Map,
    Reduce,
}

/// <summary>A task's state in its job master.</summary>
public enum TaskState
{
    Pending,
    Deploying,
    Running,
    Finished,
}

/// <summary>A word and how often it occurs.</summary>
public sealed record WordCount(string Word, long Count);

/// <summary>A map task's counts of the words that fall into one reduce partition.</summary>
public sealed record PartitionCounts(int Partition, WordCount[] Counts);

/// <summary>A task for one slot of an executor.</summary>
/// <param name="TaskId">The task's id within the job (<c>map-3</c>, <c>reduce-1</c>).</param>
/// <param name="Index">The shard (map) or partition (reduce).</param>
/// <param name="Attempt">Which deployment of the task this is; reports of older attempts are ignored.</param>
/// <param name="Epoch">The epoch of the job master; the executor reports back with it.</param>
/// <param name="ReduceInput">For a reduce task, the map outputs of its partition.</param>
public sealed record TaskDeployment(
    string JobId,
    string TaskId,
    TaskKind Kind,
    int Index,
    int Attempt,
    int SlotIndex,
    long Epoch,
    IJobMasterGateway JobMaster,
    JobSpec Job,
    WordCount[]? ReduceInput);

/// <summary>Whether an executor took a task.</summary>
public sealed record DeployResponse(bool Accepted, string? Reason);

/// <summary>A finished task's output: a map's counts per partition, or a reduce's merged partition (one entry).</summary>
public sealed record TaskCompletion(string JobId, string TaskId, int Attempt, string ExecutorId, PartitionCounts[] Output, long InputBytes, double Seconds);

/// <summary>A task that failed on its executor.</summary>
public sealed record TaskFailure(string JobId, string TaskId, int Attempt, string ExecutorId, string Error);
