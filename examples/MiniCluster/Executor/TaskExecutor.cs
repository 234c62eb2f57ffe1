using Microsoft.Extensions.Logging;
using MiniCluster.Contracts;
using Toolkit.Heartbeat;
using Toolkit.HighAvailability;
using Toolkit.Rpc;

namespace MiniCluster.Executor;

/// <summary>
/// A task executor (Flink's <c>TaskExecutor</c>): finds the leading master by leader retrieval and registers with its
/// resource manager (again after every change of leader), answers its heartbeats with a slot report, and runs the tasks
/// job masters deploy into its slots — the counting off the main thread, the bookkeeping on it — reporting each result
/// to the task's job master. It follows one leader at a time — its epoch is the epoch of the leader it retrieved — so a
/// deposed master's heartbeats and deployments are refused (<see cref="RpcFencingException"/>), and the tasks of the
/// previous leader's jobs are cancelled when a new one is found.
/// </summary>
public sealed partial class TaskExecutor : FencedRpcEndpoint, ITaskExecutorGateway, ILeaderRetrievalListener, IHeartbeatListener<ManagerHeartbeat, SlotReport>
{
    public const string EndpointName = "taskexecutor";
    private static readonly TimeSpan RegistrationTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RegistrationRetry = TimeSpan.FromMilliseconds(500);

    private readonly IHighAvailabilityServices _ha;
    private readonly HeartbeatServices _heartbeats;
    private readonly TaskExecutorOptions _options;
    private readonly RunningTask?[] _slots;
    private HeartbeatReceiver<ManagerHeartbeat, SlotReport> _managerHeartbeats = null!;
    private IDisposable? _retrieval;
    private LeaderInformation? _leader;
    private string? _resourceManagerId;

    public TaskExecutor(IHighAvailabilityServices ha, HeartbeatServices heartbeats, TaskExecutorOptions options)
    {
        _ha = ha;
        _heartbeats = heartbeats;
        _options = options;
        _slots = new RunningTask?[options.Slots];
    }

    public string ExecutorId => _options.ExecutorId;

    public Task<SlotReport> HeartbeatFromResourceManagerAsync(string resourceManagerId, ManagerHeartbeat payload, TimeSpan timeout)
    {
        return Task.FromResult(_managerHeartbeats.RequestHeartbeat(resourceManagerId, payload));
    }

    public Task<DeployResponse> SubmitTaskAsync(TaskDeployment deployment, TimeSpan timeout)
    {
        if (deployment.SlotIndex < 0 || deployment.SlotIndex >= _slots.Length)
        {
            return Task.FromResult(new DeployResponse(false, $"executor {ExecutorId} has no slot {deployment.SlotIndex} (it has {_slots.Length})"));
        }

        if (_slots[deployment.SlotIndex] is { } busy)
        {
            return Task.FromResult(new DeployResponse(false, $"slot {deployment.SlotIndex} of {ExecutorId} runs {busy.Deployment.JobId}/{busy.Deployment.TaskId}"));
        }

        RunningTask task = new(deployment);
        _slots[deployment.SlotIndex] = task;
        Logger.LogInformation("Task {Job}/{Task} attempt {Attempt} started in slot {Slot}", deployment.JobId, deployment.TaskId, deployment.Attempt, deployment.SlotIndex);
        _ = RunTaskAsync(task);
        return Task.FromResult(new DeployResponse(true, null));
    }

    public void CancelJob(string jobId)
    {
        for (int slot = 0; slot < _slots.Length; slot++)
        {
            if (_slots[slot]?.Deployment.JobId == jobId)
            {
                FreeSlot(slot, cancel: true);
            }
        }
    }

    public void NotifyLeaderAddress(LeaderInformation? leader) => _ = RunAsync(() => FollowLeader(leader));

    public void HandleError(Exception error) => _ = RunAsync(() => Logger.LogError(error, "Leader retrieval failed"));

    public void NotifyHeartbeatTimeout(string targetId) => ReRegister($"the resource manager {targetId} stopped asking for heartbeats");

    public void NotifyTargetUnreachable(string targetId) => ReRegister($"the resource manager {targetId} is unreachable");

    public void ReportPayload(string targetId, ManagerHeartbeat payload)
    {
    }

    public SlotReport RetrievePayload(string targetId) => Report();

    protected override Task OnStartAsync()
    {
        _managerHeartbeats = _heartbeats.CreateReceiver(this, ExecutorId, this, EndpointName);
        _retrieval = _ha.RetrieveLeader(Master.MasterLeadership.ComponentId, this);
        return Task.CompletedTask;
    }

    protected override void OnRemoteDisconnected(RpcPeer peer) => _managerHeartbeats.OnRemoteDisconnected(peer);

    protected override Task OnStopAsync()
    {
        _retrieval?.Dispose();
        _managerHeartbeats.Stop();
        for (int slot = 0; slot < _slots.Length; slot++)
        {
            FreeSlot(slot, cancel: true);
        }

        return Task.CompletedTask;
    }

    private SlotReport Report() => new(ExecutorId, [.. _slots.Select((task, index) => task?.View(index) ?? new SlotView(index, null, null))]);

    private void FollowLeader(LeaderInformation? leader)
    {
        if (leader is null || leader == _leader)
        {
            return;
        }

        Logger.LogInformation("Leader found: epoch {Epoch} at {Address}; registering", leader.Epoch, leader.Address);
        _leader = leader;
        SetEpoch(leader.Epoch);
        for (int slot = 0; slot < _slots.Length; slot++)
        {
            // The previous leader's job masters are gone; the new leader recovers their jobs and deploys them afresh.
            FreeSlot(slot, cancel: true);
        }

        _ = RegisterAsync(leader);
    }

    private void ReRegister(string why)
    {
        if (_leader is { } leader)
        {
            Logger.LogWarning("{Why}: registering again", why);
            if (_resourceManagerId is not null)
            {
                _managerHeartbeats.UnmonitorTarget(_resourceManagerId);
                _resourceManagerId = null;
            }

            // The resource manager counted this executor lost and its job masters deployed its tasks elsewhere.
            for (int slot = 0; slot < _slots.Length; slot++)
            {
                FreeSlot(slot, cancel: true);
            }

            _ = RegisterAsync(leader);
        }
    }

    private async Task RegisterAsync(LeaderInformation leader)
    {
        IResourceManagerGateway resourceManager = Service.GetRemoteGateway<IResourceManagerGateway>(leader.Address + "/" + Master.ResourceManager.EndpointName).WithEpoch(leader.Epoch);
        while (_leader == leader && _resourceManagerId is null)
        {
            try
            {
                RegistrationResponse response = await resourceManager.RegisterTaskExecutorAsync(
                    new TaskExecutorRegistration(ExecutorId, _slots.Length, Service.Address, GetSelfGateway<ITaskExecutorGateway>().WithEpoch(leader.Epoch)), RegistrationTimeout);
                if (_leader != leader)
                {
                    return;
                }

                if (response is RegistrationAccepted accepted)
                {
                    _resourceManagerId = accepted.ResourceManagerId;
                    _managerHeartbeats.MonitorTarget(accepted.ResourceManagerId, leader.Address);
                    Logger.LogInformation("Registered with the resource manager {Manager} in epoch {Epoch}", accepted.ResourceManagerId, accepted.Epoch);
                    return;
                }

                Logger.LogWarning("Registration declined: {Reason}", ((RegistrationDeclined)response).Reason);
            }
            catch (Exception error) when (error is RpcException or InvalidOperationException)
            {
                Logger.LogInformation("Registration with epoch {Epoch} at {Address} failed: {Error}", leader.Epoch, leader.Address, error.Message);
            }

            await Task.Delay(RegistrationRetry, TimeProvider);
        }
    }
}
