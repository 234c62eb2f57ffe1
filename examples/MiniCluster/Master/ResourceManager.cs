using Microsoft.Extensions.Logging;
using MiniCluster.Contracts;
using Toolkit.Heartbeat;
using Toolkit.Rpc;

namespace MiniCluster.Master;

/// <summary>
/// The resource manager (Flink's <c>ResourceManager</c>): task executors register and offer slots, heartbeats tell it
/// which are alive, job masters get free slots from it. A lost executor's slots are released and the dispatcher tells
/// every job master, which deploys the executor's tasks again. Leads when the master process leads.
/// </summary>
public sealed class ResourceManager : FencedRpcEndpoint, IResourceManagerGateway, IHeartbeatListener<SlotReport, ManagerHeartbeat>
{
    public const string EndpointName = "resourcemanager";

    private readonly HeartbeatServices _heartbeats;
    private readonly Dictionary<string, RegisteredExecutor> _executors = new(StringComparer.Ordinal);
    private HeartbeatSender<SlotReport, ManagerHeartbeat> _executorHeartbeats = null!;

    public ResourceManager(HeartbeatServices heartbeats) => _heartbeats = heartbeats;

    /// <summary>This process leads from now, in <paramref name="epoch"/>: executors are awaited afresh.</summary>
    public Task GrantAsync(long epoch) => RunAsync(() =>
    {
        ForgetExecutors();
        SetEpoch(epoch);
    });

    /// <summary>This process no longer leads: its executors will register with the new leader.</summary>
    public Task RevokeAsync() => RunAsync(() =>
    {
        SetEpoch(null);
        ForgetExecutors();
    });

    public Task<RegistrationResponse> RegisterTaskExecutorAsync(TaskExecutorRegistration registration, TimeSpan timeout)
    {
        long epoch = RequireLeader();
        if (registration.Slots <= 0)
        {
            return Task.FromResult<RegistrationResponse>(new RegistrationDeclined($"executor {registration.ExecutorId} offers {registration.Slots} slots"));
        }

        if (_executors.Remove(registration.ExecutorId, out RegisteredExecutor? previous))
        {
            _executorHeartbeats.UnmonitorTarget(previous.Id);
            Logger.LogInformation("Executor {Executor} registered again; its earlier slots are released", registration.ExecutorId);
            Dispatcher(epoch).ExecutorLost(registration.ExecutorId);
        }

        ITaskExecutorGateway executor = registration.Self.WithEpoch(epoch);
        RegisteredExecutor registered = new(registration.ExecutorId, registration.Address, executor, new string?[registration.Slots], TimeProvider.GetUtcNow());
        _executors.Add(registered.Id, registered);
        _executorHeartbeats.MonitorTarget(
            registered.Id,
            HeartbeatTarget.Create<ManagerHeartbeat, SlotReport>((from, payload, timeout) => executor.HeartbeatFromResourceManagerAsync(from, payload, timeout)),
            registration.Address);
        Logger.LogInformation("Executor {Executor} registered with {Slots} slots in epoch {Epoch}", registered.Id, registration.Slots, epoch);
        return Task.FromResult<RegistrationResponse>(new RegistrationAccepted(Service.NodeId, epoch));
    }

    public Task<SlotAllocation[]> RequestSlotsAsync(string jobId, int count)
    {
        RequireLeader();
        List<SlotAllocation> allocations = [];
        while (allocations.Count < count)
        {
            // Spread a job over the executors: each slot from the executor with the most free ones.
            RegisteredExecutor? executor = _executors.Values.Where(candidate => candidate.FreeSlots > 0).MaxBy(candidate => candidate.FreeSlots);
            if (executor is null)
            {
                break;
            }

            int index = Array.IndexOf(executor.SlotJobs, null);
            executor.SlotJobs[index] = jobId;
            allocations.Add(new SlotAllocation(new SlotId(executor.Id, index), executor.Gateway));
        }

        return Task.FromResult<SlotAllocation[]>([.. allocations]);
    }

    public void ReleaseSlot(SlotId slot, string jobId)
    {
        if (_executors.TryGetValue(slot.ExecutorId, out RegisteredExecutor? executor) &&
            slot.Index >= 0 && slot.Index < executor.SlotJobs.Length && executor.SlotJobs[slot.Index] == jobId)
        {
            executor.SlotJobs[slot.Index] = null;
        }
    }

    public Task<ResourceOverview> GetOverviewAsync()
    {
        long epoch = RequireLeader();
        ExecutorView[] executors =
        [
            .. _executors.Values.OrderBy(executor => executor.Id, StringComparer.Ordinal).Select(executor => new ExecutorView(
                executor.Id,
                executor.Address,
                executor.SlotJobs.Length,
                [.. executor.SlotJobs.Select((job, index) => new SlotView(index, job, executor.TaskIn(index)))],
                (_executorHeartbeats.GetStatus(executor.Id)?.SinceLastHeartbeat ?? TimeSpan.Zero).TotalSeconds,
                executor.RegisteredAt)),
        ];
        return Task.FromResult(new ResourceOverview(epoch, executors));
    }

    public void NotifyHeartbeatTimeout(string targetId) => LoseExecutor(targetId, "its heartbeats timed out");

    public void NotifyTargetUnreachable(string targetId) => LoseExecutor(targetId, "it is unreachable");

    public void ReportPayload(string targetId, SlotReport payload)
    {
        if (_executors.TryGetValue(targetId, out RegisteredExecutor? executor))
        {
            executor.LastReport = payload;
        }
    }

    public ManagerHeartbeat RetrievePayload(string targetId) => new(Epoch ?? 0);

    protected override Task OnStartAsync()
    {
        _executorHeartbeats = _heartbeats.CreateSender(this, Service.NodeId, this, EndpointName);
        return Task.CompletedTask;
    }

    protected override void OnRemoteDisconnected(RpcPeer peer)
    {
        _executorHeartbeats.OnRemoteDisconnected(peer);

        // A client-mode executor (no address: the heartbeat manager cannot match it) is reachable only over the
        // connection it opened; once that closes it is lost at once. Executors' services are named by their executor id.
        if (peer.Address is null && _executors.TryGetValue(peer.NodeId, out RegisteredExecutor? executor) && executor.Address is null)
        {
            _executorHeartbeats.UnmonitorTarget(peer.NodeId);
            LoseExecutor(peer.NodeId, "its connection closed");
        }
    }

    protected override Task OnStopAsync()
    {
        _executorHeartbeats.Stop();
        return Task.CompletedTask;
    }

    private IDispatcherGateway Dispatcher(long epoch) => Service.GetGateway<IDispatcherGateway>(MiniCluster.Master.Dispatcher.EndpointName).WithEpoch(epoch);

    // Fenced calls run only in the epoch this endpoint leads in, so inside them there is one.
    private long RequireLeader() =>
        Epoch ?? throw new InvalidOperationException($"The resource manager of {Service.NodeId} does not lead: ask the leader (leader retrieval names it).");

    private void LoseExecutor(string executorId, string why)
    {
        if (_executors.Remove(executorId))
        {
            Logger.LogWarning("Executor {Executor} lost: {Why}; its slots are released and its tasks deployed again", executorId, why);
            if (Epoch is { } epoch)
            {
                Dispatcher(epoch).ExecutorLost(executorId);
            }
        }
    }

    private void ForgetExecutors()
    {
        foreach (string id in _executors.Keys)
        {
            _executorHeartbeats.UnmonitorTarget(id);
        }

        _executors.Clear();
    }
}
