using Microsoft.Extensions.Logging;
using MiniCluster.Contracts;
using MiniCluster.Hosting;
using Toolkit.Blob;
using Toolkit.Heartbeat;
using Toolkit.HighAvailability;
using Toolkit.Rpc;

namespace MiniCluster.Executor;

/// <summary>
/// A task executor (Flink's <c>TaskExecutor</c>): finds the leading master by leader retrieval and registers with its
/// resource manager (again after every change of leader), answers its heartbeats with a slot report, and runs the tasks
/// job masters deploy into its slots — the job's program and input shards downloaded through its blob cache from the
/// leader's blob server, the counting off the main thread, the bookkeeping on it — reporting each result to the task's
/// job master. It follows one leader at a time — its epoch is the epoch of the leader it retrieved, and its blob cache
/// asks that leader's blob server — so a deposed master's heartbeats and deployments are refused
/// (<see cref="RpcFencingException"/>), and the tasks of the previous leader's jobs are cancelled when a new one is found.
/// </summary>
public sealed partial class TaskExecutor : FencedRpcEndpoint, ITaskExecutorGateway, ILeaderRetrievalListener, IHeartbeatListener<ManagerHeartbeat, SlotReport>
{
    public const string EndpointName = "taskexecutor";
    private static readonly TimeSpan RegistrationTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RegistrationRetry = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan CacheTtl = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan CacheCleanup = TimeSpan.FromSeconds(15);

    private readonly IHighAvailabilityServices _ha;
    private readonly HeartbeatServices _heartbeats;
    private readonly TaskExecutorOptions _options;
    private readonly RunningTask?[] _slots;
    private readonly HashSet<string> _cachedJobs = new(StringComparer.Ordinal);
    private HeartbeatReceiver<ManagerHeartbeat, SlotReport> _managerHeartbeats = null!;
    private IDisposable? _retrieval;
    private LeaderInformation? _leader;
    private string? _resourceManagerId;
    private BlobCache? _inputs;

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

        if (_cachedJobs.Remove(jobId))
        {
            // Kept for the cache's TTL, then deleted and their references on the blob server released.
            _inputs!.ReleaseJob(new JobId(jobId));
            Logger.LogInformation("Job {Job} is over: its blobs are released in the cache", jobId);
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

    protected override async Task OnStopAsync()
    {
        _retrieval?.Dispose();
        if (_inputs is not null)
        {
            await _inputs.DisposeAsync();
        }

        _managerHeartbeats.Stop();
        for (int slot = 0; slot < _slots.Length; slot++)
        {
            FreeSlot(slot, cancel: true);
        }
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
        UseBlobServerOf(leader);
        for (int slot = 0; slot < _slots.Length; slot++)
        {
            // The previous leader's job masters are gone; the new leader recovers their jobs and deploys them afresh.
            FreeSlot(slot, cancel: true);
        }

        _ = RegisterAsync(leader);
    }

    // A cache per leader, in a directory per epoch, whose client asks that leader's blob server; the previous cache is
    // dropped with its files (the new leader serves the same blobs, restored from the blob HA store).
    private void UseBlobServerOf(LeaderInformation leader)
    {
        string root = _options.CacheDirectory ?? BlobStorage.DefaultCache(ExecutorId);
        BlobClient client = BlobClient.Create(Service, leader.Address + "/" + BlobStorage.EndpointName, new BlobClientOptions { HolderId = ExecutorId });
        BlobCache? previous = _inputs;
        _inputs = new BlobCache(client, new BlobCacheOptions { Directory = Path.Combine(root, "epoch-" + leader.Epoch), Ttl = CacheTtl, CleanupInterval = CacheCleanup }, TimeProvider, Service.LoggerFactory);
        _cachedJobs.Clear();
        if (previous is not null)
        {
            _ = DropCacheAsync(previous);
        }
    }

    // The job's blobs stay in the cache from its first task on this executor until its job master says it is over.
    private BlobCache CacheFor(TaskDeployment deployment)
    {
        BlobCache cache = _inputs ?? throw new InvalidOperationException($"Executor {ExecutorId} follows no leader, so it has no blob server to download from.");
        if (_cachedJobs.Add(deployment.JobId))
        {
            cache.RegisterJob(new JobId(deployment.JobId));
        }

        return cache;
    }

    private async Task DropCacheAsync(BlobCache cache)
    {
        await cache.DisposeAsync();
        try
        {
            Directory.Delete(cache.Root, recursive: true);
        }
        catch (IOException error)
        {
            Logger.LogWarning("The blob cache at {Directory} was not removed: {Error}", cache.Root, error.Message);
        }
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
