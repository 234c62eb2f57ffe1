namespace MiniCluster.Contracts;

/// <summary>
/// A word-count job: <paramref name="Shards"/> text shards of <paramref name="ShardBytes"/> bytes each, generated from
/// <paramref name="Seed"/> over a vocabulary of <paramref name="Vocabulary"/> words, counted by one map task per shard and
/// merged by <paramref name="Reducers"/> reduce tasks.
/// </summary>
/// <param name="TaskPauseMs">A pause after each task, to watch (and break) a small job; 0 for none.</param>
/// <param name="ProgramBlob">The job's artifact — the program its tasks run (<c>Jobs/WordCountProgram</c>) — as the key of
/// a permanent blob of the job, which the submitter uploads before it submits (null until then).</param>
/// <param name="InputBlobs">The shards' blob keys, one per shard: permanent blobs of the job, uploaded with the program.</param>
public sealed record JobSpec(string JobId, string Name, int Shards, int ShardBytes, int Reducers, int Seed, int Vocabulary, int TaskPauseMs, string? ProgramBlob = null, string[]? InputBlobs = null);

/// <summary>A job's state.</summary>
public enum JobState
{
    Unknown,
    Running,
    Finished,
    Failed,
}

/// <summary>One task of a job, for the dashboard.</summary>
public sealed record TaskView(string TaskId, TaskState State, string? ExecutorId, int Attempt);

/// <summary>A job's progress.</summary>
/// <param name="Epoch">The epoch of the master that runs (or ran) it.</param>
/// <param name="Redeployed">Deployments beyond each task's first: its executor was lost or refused it, or the task failed.</param>
public sealed record JobStatus(
    string JobId,
    string Name,
    JobState State,
    long Epoch,
    int Maps,
    int MapsDone,
    int Reduces,
    int ReducesDone,
    int Running,
    int Redeployed,
    DateTimeOffset SubmittedAt,
    DateTimeOffset? FinishedAt,
    TaskView[] Tasks,
    JobResult? Result,
    string? Error);

/// <summary>A finished word count: every word's count, sorted by word (ordinal), with totals and a checksum.</summary>
/// <param name="Seconds">The job master's wall time, from its start to the last reduce.</param>
public sealed record JobResult(long TotalWords, int DistinctWords, ulong Checksum, WordCount[] Counts, double Seconds);

/// <summary>What the dashboard shows: the leader, its executors and slots, the jobs and their tasks.</summary>
public sealed record ClusterState(string NodeId, long Epoch, string LeaderAddress, ExecutorView[] Executors, JobStatus[] Jobs);
