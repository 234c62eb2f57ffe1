using Microsoft.Extensions.Logging;
using MiniCluster.Contracts;
using MiniCluster.Hosting;
using Toolkit.Blob;
using Toolkit.HighAvailability;
using Toolkit.Rpc;

namespace MiniCluster.Master;

/// <summary>
/// The dispatcher (Flink's <c>Dispatcher</c>): accepts jobs and writes them to the HA job store before it runs them, one
/// job master per job; writes a finished job's result to the HA result store, then forgets the job graph. A new leader
/// recovers every stored job and runs it again. Every store write names this leader's epoch, so the store refuses a
/// deposed leader's writes.
/// </summary>
public sealed class Dispatcher : FencedRpcEndpoint, IDispatcherGateway
{
    public const string EndpointName = "dispatcher";

    private readonly IHighAvailabilityServices _ha;
    private readonly Dictionary<string, DispatchedJob> _jobs = new(StringComparer.Ordinal);
    private string _leaderAddress = "";

    public Dispatcher(IHighAvailabilityServices ha) => _ha = ha;

    private IJobGraphStore JobGraphs => _ha.GetJobGraphStore(MasterLeadership.ComponentId);

    private IJobResultStore JobResults => _ha.GetJobResultStore(MasterLeadership.ComponentId);

    private IResourceManagerGateway ResourceManager(long epoch) => Service.GetGateway<IResourceManagerGateway>(MiniCluster.Master.ResourceManager.EndpointName).WithEpoch(epoch);

    /// <summary>This process leads from now: finishes the cleanup of finished jobs and recovers the submitted ones.</summary>
    public Task GrantAsync(long epoch, string leaderAddress, CancellationToken leadershipLost) => RunAsync(async () =>
    {
        SetEpoch(epoch);
        _leaderAddress = leaderAddress;
        foreach (JobResultEntry dirty in await JobResults.GetDirtyResultsAsync(leadershipLost))
        {
            await JobGraphs.RemoveJobGraphAsync(epoch, dirty.JobId, leadershipLost);
            await DeleteInputsAsync(dirty.JobId);
            await JobResults.MarkResultCleanAsync(epoch, dirty.JobId, leadershipLost);
            Logger.LogInformation("Job {Job} had finished under an earlier leader; its cleanup is done", dirty.JobId);
        }

        foreach (string jobId in await JobGraphs.GetJobIdsAsync(leadershipLost))
        {
            byte[]? graph = await JobGraphs.RecoverJobGraphAsync(jobId, leadershipLost);
            if (Epoch != epoch || graph is null || _jobs.ContainsKey(jobId))
            {
                continue;
            }

            JobSpec job = RpcSerializer.Deserialize<JobSpec>(graph);
            Logger.LogInformation("Recovered job {Job} from the HA job store in epoch {Epoch}", jobId, epoch);
            await StartJobMasterAsync(job, epoch);
        }
    });

    /// <summary>This process no longer leads: its job masters stop; the new leader recovers their jobs.</summary>
    public Task RevokeAsync() => RunAsync(async () =>
    {
        SetEpoch(null);
        DispatchedJob[] jobs = [.. _jobs.Values];
        _jobs.Clear();
        foreach (DispatchedJob job in jobs.Where(job => job.Final is null))
        {
            await Service.StopEndpointAsync(job.EndpointName);
        }
    });

    public async Task<JobStatus> SubmitJobAsync(JobSpec job)
    {
        long epoch = RequireLeader();
        Validate(job);
        if (_jobs.TryGetValue(job.JobId, out DispatchedJob? known))
        {
            return await StatusOfAsync(known);
        }

        if (await JobResults.GetResultAsync(job.JobId) is { } finished)
        {
            return FinishedStatus(job.JobId, finished);
        }

        await RequireInputsAsync(job);

        // Stored before it runs, so that a new leader recovers it; refused by the store if this epoch no longer leads.
        await JobGraphs.PutJobGraphAsync(epoch, job.JobId, RpcSerializer.Serialize(job));
        if (Epoch != epoch)
        {
            throw new InvalidOperationException($"The dispatcher lost its leadership (epoch {epoch}) while job {job.JobId} was submitted; submit it to the new leader.");
        }

        if (!_jobs.ContainsKey(job.JobId))
        {
            Logger.LogInformation("Job {Job} submitted ({Shards} shards of {Bytes} bytes, {Reducers} reducers) in epoch {Epoch}", job.JobId, job.Shards, job.ShardBytes, job.Reducers, epoch);
            await StartJobMasterAsync(job, epoch);
        }

        return await StatusOfAsync(_jobs[job.JobId]);
    }

    public async Task<JobStatus> GetJobStatusAsync(string jobId)
    {
        long epoch = RequireLeader();
        if (_jobs.TryGetValue(jobId, out DispatchedJob? job))
        {
            return await StatusOfAsync(job);
        }

        return await JobResults.GetResultAsync(jobId) is { } finished
            ? FinishedStatus(jobId, finished)
            : new JobStatus(jobId, "", JobState.Unknown, epoch, 0, 0, 0, 0, 0, 0, TimeProvider.GetUtcNow(), null, [], null, null);
    }

    public async Task<ClusterState> GetClusterStateAsync()
    {
        long epoch = RequireLeader();
        ResourceOverview resources = await ResourceManager(epoch).GetOverviewAsync();
        List<JobStatus> jobs = [];
        foreach (DispatchedJob job in _jobs.Values.ToArray())
        {
            jobs.Add(await StatusOfAsync(job));
        }

        return new ClusterState(Service.NodeId, epoch, _leaderAddress, resources.Executors, [.. jobs.OrderBy(job => job.SubmittedAt)]);
    }

    public async Task JobFinishedAsync(string jobId, JobResult result)
    {
        long epoch = RequireLeader();
        if (!_jobs.TryGetValue(jobId, out DispatchedJob? job) || job.Final is not null)
        {
            return;
        }

        JobStatus final = await job.Master.GetStatusAsync();
        try
        {
            await JobResults.CreateDirtyResultAsync(epoch, jobId, RpcSerializer.Serialize(result));
        }
        catch (InvalidOperationException)
        {
            // Written already by an attempt that failed after the write: the result stands.
        }

        await JobGraphs.RemoveJobGraphAsync(epoch, jobId);
        await DeleteInputsAsync(jobId);
        await JobResults.MarkResultCleanAsync(epoch, jobId);
        job.Final = final;
        Logger.LogInformation("Job {Job} finished in epoch {Epoch}: {Words} words, {Distinct} distinct, checksum {Checksum:x16}", jobId, epoch, result.TotalWords, result.DistinctWords, result.Checksum);

        // The job master is awaiting this call: it stops after the reply has reached it.
        _ = ScheduleRunAsync(() => Service.StopEndpointAsync(job.EndpointName), TimeSpan.FromMilliseconds(200));
    }

    public void ExecutorLost(string executorId)
    {
        foreach (DispatchedJob job in _jobs.Values.Where(job => job.Final is null))
        {
            job.Master.ExecutorLost(executorId);
        }
    }

    // A finished job's inputs go at once, on this blob server and in the blob HA store; executors' caches expire theirs.
    private async Task DeleteInputsAsync(string jobId)
    {
        int deleted = await Service.GetGateway<IBlobServerGateway>(BlobStorage.EndpointName).DeleteJobAsync(jobId);
        Logger.LogInformation("Deleted {Count} input blobs of job {Job}", deleted, jobId);
    }

    private static void Validate(JobSpec job)
    {
        if (string.IsNullOrWhiteSpace(job.JobId) || !job.JobId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new ArgumentException($"Job id '{job.JobId}' must be letters, digits, '-' and '_'.");
        }

        if (job.Shards < 1 || job.Reducers < 1 || job.ShardBytes < 16 || job.Vocabulary < 1)
        {
            throw new ArgumentException($"Job {job.JobId} needs at least one shard of 16 bytes, one reducer and one word (got {job.Shards} shards of {job.ShardBytes} bytes, {job.Reducers} reducers, {job.Vocabulary} words).");
        }

        if (job.InputBlobs?.Length != job.Shards || !BlobKey.TryParse(job.ProgramBlob, out _) || !job.InputBlobs.All(key => BlobKey.TryParse(key, out _)))
        {
            throw new ArgumentException($"Job {job.JobId} needs the blob keys of its program and of its {job.Shards} shards (it names {(job.ProgramBlob is null ? "no" : "a")} program and {job.InputBlobs?.Length ?? 0} shards, or a key that is not 64 hex digits): upload them to the leader's blob server first.");
        }
    }

    // A new job is refused at once when an input is on neither this blob server nor the blob HA store: no task could run.
    private async Task RequireInputsAsync(JobSpec job)
    {
        IBlobServerGateway blobs = Service.GetGateway<IBlobServerGateway>(BlobStorage.EndpointName);
        foreach ((string what, string key) in job.InputBlobs!.Select((key, shard) => ($"shard {shard}", key)).Prepend(("program", job.ProgramBlob!)))
        {
            if (!(await blobs.StatAsync(job.JobId, key)).Exists)
            {
                throw new ArgumentException($"The {what} of job {job.JobId} (blob {key}) is not on the blob server of {Service.NodeId}: upload the job's input to the leader's blob server before submitting it.");
            }
        }
    }

    private async Task StartJobMasterAsync(JobSpec job, long epoch)
    {
        string name = "jobmaster-" + job.JobId;
        JobMaster master = new(job, epoch, ResourceManager(epoch), GetSelfGateway<IDispatcherGateway>().WithEpoch(epoch));
        await Service.StartEndpointAsync(master, name);
        _jobs[job.JobId] = new DispatchedJob(name, Service.GetGateway<IJobMasterGateway>(name).WithEpoch(epoch));
    }

    private async Task<JobStatus> StatusOfAsync(DispatchedJob job) => job.Final ?? await job.Master.GetStatusAsync();

    private JobStatus FinishedStatus(string jobId, JobResultEntry entry)
    {
        JobResult result = RpcSerializer.Deserialize<JobResult>(entry.Result);
        return new JobStatus(jobId, "", JobState.Finished, Epoch ?? 0, 0, 0, 0, 0, 0, 0, TimeProvider.GetUtcNow(), null, [], result, null);
    }

    // Fenced calls run only in the epoch this endpoint leads in, so inside them there is one.
    private long RequireLeader() =>
        Epoch ?? throw new InvalidOperationException($"The dispatcher of {Service.NodeId} does not lead: ask the leader (leader retrieval names it).");
}
