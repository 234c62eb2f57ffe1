using Toolkit.Rpc;

namespace MiniCluster.Contracts;

/// <summary>
/// The resource manager (Flink's <c>ResourceManagerGateway</c>): task executors register and offer their slots, job
/// masters ask for slots and give them back. Every call carries the caller's view of the master's epoch.
/// </summary>
[RpcGateway]
[RpcFenced]
public interface IResourceManagerGateway
{
    /// <summary>Registers a task executor (again, after a failover or a lost connection), replacing what was known of it.</summary>
    Task<RegistrationResponse> RegisterTaskExecutorAsync(TaskExecutorRegistration registration, [RpcTimeout] TimeSpan timeout);

    /// <summary>Up to <paramref name="count"/> free slots for <paramref name="jobId"/>; fewer (or none) when the cluster is busy.</summary>
    Task<SlotAllocation[]> RequestSlotsAsync(string jobId, int count);

    /// <summary>Gives a slot back.</summary>
    void ReleaseSlot(SlotId slot, string jobId);

    /// <summary>The executors and their slots, for the dashboard.</summary>
    Task<ResourceOverview> GetOverviewAsync();
}
