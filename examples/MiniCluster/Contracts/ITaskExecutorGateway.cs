using Toolkit.Rpc;

namespace MiniCluster.Contracts;

/// <summary>
/// A task executor (Flink's <c>TaskExecutorGateway</c>): answers the resource manager's heartbeats with its slot report,
/// runs the tasks job masters deploy into its slots. Calls carry the epoch of the master they come from; an executor
/// follows the leader it retrieved and refuses a deposed master's calls.
/// </summary>
[RpcGateway]
[RpcFenced]
public interface ITaskExecutorGateway
{
    /// <summary>A heartbeat request from the resource manager; the reply is this executor's slot report.</summary>
    Task<SlotReport> HeartbeatFromResourceManagerAsync(string resourceManagerId, ManagerHeartbeat payload, [RpcTimeout] TimeSpan timeout);

    /// <summary>Runs a task in one of this executor's slots; returns at once, the result is reported to the job master.</summary>
    Task<DeployResponse> SubmitTaskAsync(TaskDeployment deployment, [RpcTimeout] TimeSpan timeout);

    /// <summary>
    /// The job is over (its job master finished or gave up): stops its tasks, frees their slots, and releases the job's
    /// blobs in this executor's cache (deleted after the cache's TTL).
    /// </summary>
    void CancelJob(string jobId);
}
