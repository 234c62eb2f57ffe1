using Toolkit.Rpc;

namespace MiniCluster.Contracts;

/// <summary>
/// The dispatcher (Flink's <c>DispatcherGateway</c>): accepts jobs, keeps them in the HA job store, runs a job master per
/// job and keeps finished jobs' results in the HA result store.
/// </summary>
[RpcGateway]
[RpcFenced]
public interface IDispatcherGateway
{
    /// <summary>Submits a job; submitting the same job id again returns its status (so a submitter may retry).</summary>
    Task<JobStatus> SubmitJobAsync(JobSpec job);

    /// <summary>A job's status; <see cref="JobState.Unknown"/> when this master has never heard of it.</summary>
    Task<JobStatus> GetJobStatusAsync(string jobId);

    /// <summary>Everything the dashboard shows: the leader, executors, slots, jobs and their tasks.</summary>
    Task<ClusterState> GetClusterStateAsync();

    /// <summary>A job master finished its job; the result is written to the HA result store.</summary>
    Task JobFinishedAsync(string jobId, JobResult result);

    /// <summary>The resource manager lost an executor: every job master hears of it.</summary>
    void ExecutorLost(string executorId);
}
