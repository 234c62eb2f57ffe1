using Toolkit.Rpc;

namespace MiniCluster.Contracts;

/// <summary>
/// One job's master (Flink's <c>JobMasterGateway</c>): task executors report their tasks' results to it; the dispatcher
/// tells it of lost executors and asks for its status.
/// </summary>
[RpcGateway]
[RpcFenced]
public interface IJobMasterGateway
{
    /// <summary>A task finished; its output is in <paramref name="completion"/>.</summary>
    Task ReportTaskFinishedAsync(TaskCompletion completion);

    /// <summary>A task failed on its executor; it is deployed again.</summary>
    Task ReportTaskFailedAsync(TaskFailure failure);

    /// <summary>An executor was lost: its tasks are deployed again elsewhere.</summary>
    void ExecutorLost(string executorId);

    /// <summary>The job's progress and, once finished, its result.</summary>
    Task<JobStatus> GetStatusAsync();
}
