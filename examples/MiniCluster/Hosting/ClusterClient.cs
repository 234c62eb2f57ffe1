using MiniCluster.Contracts;
using MiniCluster.Master;
using Toolkit.Blob;
using Toolkit.HighAvailability;
using Toolkit.Rpc;

namespace MiniCluster.Hosting;

/// <summary>
/// A submitter's view of the cluster: a client-mode Toolkit service and leader retrieval, so that every call goes to
/// whichever master leads now. Calls that fail while the leader changes are retried on the next leader; submitting is
/// idempotent by job id, so a job whose submission a dying leader never stored is submitted again.
/// </summary>
public sealed class ClusterClient : ILeaderRetrievalListener, IAsyncDisposable
{
    private static readonly TimeSpan Retry = TimeSpan.FromMilliseconds(250);
    private readonly RpcService _service;
    private readonly IHighAvailabilityServices? _ownedHa;
    private readonly IDisposable _retrieval;
    private readonly Lock _lock = new();
    private LeaderInformation? _leader;
    private (LeaderInformation Leader, BlobClient Client)? _blobs;
    private TaskCompletionSource _leaderChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ClusterClient(RpcService service, IHighAvailabilityServices ha, bool ownsHa)
    {
        _service = service;
        _ownedHa = ownsHa ? ha : null;
        _retrieval = ha.RetrieveLeader(MasterLeadership.ComponentId, this);
    }

    /// <summary>The leader as last retrieved, or null.</summary>
    public LeaderInformation? Leader
    {
        get
        {
            lock (_lock)
            {
                return _leader;
            }
        }
    }

    /// <summary>Starts a client on <paramref name="ha"/>; disposes it when the client is disposed if <paramref name="ownsHa"/>.</summary>
    public static async Task<ClusterClient> StartAsync(IHighAvailabilityServices ha, bool ownsHa, string nodeId)
    {
        RpcService service = await RpcService.StartAsync(new RpcServiceOptions { NodeId = nodeId });
        return new ClusterClient(service, ha, ownsHa);
    }

    public void NotifyLeaderAddress(LeaderInformation? leader)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            _leader = leader;
            changed = _leaderChanged;
            _leaderChanged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    public void HandleError(Exception error) => Console.Error.WriteLine($"leader retrieval failed: {error.Message}");

    /// <summary>
    /// Uploads the file at <paramref name="path"/> to the leader's blob server as a permanent blob of job
    /// <paramref name="jobId"/>, on the next leader if this one fails meanwhile (what a leader acknowledged is in the
    /// blob HA store, so its successor has it); returns its key.
    /// </summary>
    public Task<BlobKey> UploadAsync(string jobId, string path, CancellationToken cancellation) =>
        OnLeaderAsync(leader => BlobsOf(leader).PutFileAsync(path, BlobKind.Permanent, new JobId(jobId), cancellation), cancellation);

    /// <summary>Submits <paramref name="job"/> to the leader, retrying on the next leader until <paramref name="cancellation"/>.</summary>
    public Task<JobStatus> SubmitAsync(JobSpec job, CancellationToken cancellation) =>
        OnLeaderAsync(dispatcher => dispatcher.SubmitJobAsync(job), cancellation);

    /// <summary>The job's status from the leader; a job the leader does not know (its submission was lost with a leader) is submitted again.</summary>
    public Task<JobStatus> StatusAsync(JobSpec job, CancellationToken cancellation) =>
        OnLeaderAsync(
            async dispatcher => await dispatcher.GetJobStatusAsync(job.JobId) is { State: not JobState.Unknown } status ? status : await dispatcher.SubmitJobAsync(job),
            cancellation);

    /// <summary>The cluster as the leader sees it.</summary>
    public Task<ClusterState> ClusterStateAsync(CancellationToken cancellation) =>
        OnLeaderAsync(dispatcher => dispatcher.GetClusterStateAsync(), cancellation);

    /// <summary>The dispatcher of <paramref name="leader"/>, called with its epoch (tests call a master with a stale view this way).</summary>
    public IDispatcherGateway Dispatcher(LeaderInformation leader) =>
        _service.GetRemoteGateway<IDispatcherGateway>(leader.Address + "/" + MiniCluster.Master.Dispatcher.EndpointName).WithEpoch(leader.Epoch);

    public async ValueTask DisposeAsync()
    {
        _retrieval.Dispose();
        await _service.DisposeAsync();
        if (_ownedHa is not null)
        {
            await _ownedHa.DisposeAsync();
        }
    }

    private Task<T> OnLeaderAsync<T>(Func<IDispatcherGateway, Task<T>> call, CancellationToken cancellation) =>
        OnLeaderAsync(leader => call(Dispatcher(leader)), cancellation);

    private async Task<T> OnLeaderAsync<T>(Func<LeaderInformation, Task<T>> call, CancellationToken cancellation)
    {
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            Task changed;
            LeaderInformation? leader;
            lock (_lock)
            {
                leader = _leader;
                changed = _leaderChanged.Task;
            }

            if (leader is not null)
            {
                Task<T> attempt = call(leader);
                // A paused leader answers nothing until its calls time out: news of another leader ends the wait.
                if (await Task.WhenAny(attempt, changed).WaitAsync(cancellation) == attempt)
                {
                    try
                    {
                        return await attempt;
                    }
                    catch (RpcRemoteException refused) when (refused.RemoteType == typeof(ArgumentException).FullName)
                    {
                        // The leader refused the request itself (a job that is not valid, its input missing): the next would too.
                        throw;
                    }
                    catch (Exception error) when (error is RpcException or InvalidOperationException or BlobException)
                    {
                        // The leader is gone, deposed, or not serving yet: wait for news of a leader, or retry shortly.
                    }
                }
                else
                {
                    _ = attempt.ContinueWith(static abandoned => abandoned.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                    continue;
                }
            }

            await Task.WhenAny(changed, Task.Delay(Retry, cancellation));
        }
    }

    // One blob client per leader: its transfer address is the leader's blob server's.
    private BlobClient BlobsOf(LeaderInformation leader)
    {
        lock (_lock)
        {
            if (_blobs?.Leader != leader)
            {
                _blobs = (leader, BlobClient.Create(_service, leader.Address + "/" + BlobStorage.EndpointName, new BlobClientOptions { HolderId = _service.NodeId }));
            }

            return _blobs.Value.Client;
        }
    }
}
