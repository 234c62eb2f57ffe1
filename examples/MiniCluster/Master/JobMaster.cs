using System.Diagnostics;
using Microsoft.Extensions.Logging;
using MiniCluster.Contracts;
using MiniCluster.Jobs;
using Toolkit.Rpc;

namespace MiniCluster.Master;

/// <summary>
/// One job's master (Flink's <c>JobMaster</c>), started by the dispatcher as endpoint <c>jobmaster-&lt;job&gt;</c>: asks the
/// resource manager for slots, deploys one map task per shard, then one reduce task per partition with the maps' outputs
/// of that partition, and reports the merged counts to the dispatcher. A task whose executor is lost or fails is
/// deployed again; reports of earlier attempts are ignored.
/// </summary>
public sealed partial class JobMaster : FencedRpcEndpoint, IJobMasterGateway
{
    private const int MaxFailures = 20;
    private static readonly TimeSpan SchedulingInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan DeployTimeout = TimeSpan.FromSeconds(5);

    private readonly JobSpec _job;
    private readonly long _epoch;
    private readonly IResourceManagerGateway _resourceManager;
    private readonly IDispatcherGateway _dispatcher;
    private readonly JobTask[] _maps;
    private readonly JobTask[] _reduces;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<string, ITaskExecutorGateway> _executors = new(StringComparer.Ordinal);
    private DateTimeOffset _startedAt;
    private long _startedTimestamp;
    private DateTimeOffset? _finishedAt;
    private JobResult? _result;
    private string? _error;
    private bool _requestingSlots;
    private int _redeployed;
    private int _failures;

    public JobMaster(JobSpec job, long epoch, IResourceManagerGateway resourceManager, IDispatcherGateway dispatcher)
    {
        _job = job;
        _epoch = epoch;
        _resourceManager = resourceManager;
        _dispatcher = dispatcher;
        _maps = [.. Enumerable.Range(0, job.Shards).Select(index => new JobTask(TaskKind.Map, index))];
        _reduces = [.. Enumerable.Range(0, job.Reducers).Select(index => new JobTask(TaskKind.Reduce, index))];
    }

    private bool MapsDone => _maps.All(task => task.State == TaskState.Finished);

    private IEnumerable<JobTask> AllTasks => _maps.Concat(_reduces);

    public Task<JobStatus> GetStatusAsync()
    {
        JobState state = _error is not null ? JobState.Failed : _result is not null ? JobState.Finished : JobState.Running;
        return Task.FromResult(new JobStatus(
            _job.JobId,
            _job.Name,
            state,
            _epoch,
            _maps.Length,
            _maps.Count(task => task.State == TaskState.Finished),
            _reduces.Length,
            _reduces.Count(task => task.State == TaskState.Finished),
            AllTasks.Count(task => task.State is TaskState.Running or TaskState.Deploying),
            _redeployed,
            _startedAt,
            _finishedAt,
            [.. AllTasks.Select(task => task.View())],
            _result,
            _error));
    }

    public Task ReportTaskFinishedAsync(TaskCompletion completion)
    {
        JobTask? task = Find(completion.TaskId);
        // A fast task can report before the reply to its deployment is back: Deploying counts as running.
        if (task is null || task.State is not (TaskState.Running or TaskState.Deploying) || task.Attempt != completion.Attempt || task.Slot?.Slot.ExecutorId != completion.ExecutorId)
        {
            Logger.LogInformation("Ignored a stale report of {Task} attempt {Attempt} from {Executor}", completion.TaskId, completion.Attempt, completion.ExecutorId);
            return Task.CompletedTask;
        }

        task.Output = completion.Output;
        task.State = TaskState.Finished;
        ReleaseSlot(task);
        if (_reduces.All(reduce => reduce.State == TaskState.Finished))
        {
            Finish();
        }

        return Task.CompletedTask;
    }

    public Task ReportTaskFailedAsync(TaskFailure failure)
    {
        JobTask? task = Find(failure.TaskId);
        if (task is null || task.State is not (TaskState.Running or TaskState.Deploying) || task.Attempt != failure.Attempt || task.Slot?.Slot.ExecutorId != failure.ExecutorId)
        {
            return Task.CompletedTask;
        }

        Logger.LogWarning("Task {Task} attempt {Attempt} failed on {Executor}: {Error}", failure.TaskId, failure.Attempt, failure.ExecutorId, failure.Error);
        ReleaseSlot(task);
        Redeploy(task);
        if (++_failures > MaxFailures && _error is null)
        {
            _error = $"{_failures} task failures; the last: {failure.TaskId} on {failure.ExecutorId}: {failure.Error}";
            _finishedAt = TimeProvider.GetUtcNow();
            TellExecutorsItIsOver();
        }

        return Task.CompletedTask;
    }

    public void ExecutorLost(string executorId)
    {
        foreach (JobTask task in AllTasks.Where(task => task.State is TaskState.Running or TaskState.Deploying && task.Slot?.Slot.ExecutorId == executorId))
        {
            // The resource manager released the lost executor's slots already.
            Logger.LogWarning("Task {Task} was on lost executor {Executor}: deployed again", task.Id, executorId);
            Redeploy(task);
        }
    }

    protected override Task OnStartAsync()
    {
        SetEpoch(_epoch);
        _startedAt = TimeProvider.GetUtcNow();
        _startedTimestamp = Stopwatch.GetTimestamp();
        Logger.LogInformation("Job master of {Job} started in epoch {Epoch}: {Maps} map and {Reduces} reduce tasks", _job.JobId, _epoch, _maps.Length, _reduces.Length);
        ScheduleNextRound();
        return Task.CompletedTask;
    }

    protected override async Task OnStopAsync()
    {
        await _stopping.CancelAsync();
        _stopping.Dispose();
    }

    private JobTask? Find(string taskId) => AllTasks.FirstOrDefault(task => task.Id == taskId);

    private void Redeploy(JobTask task)
    {
        task.State = TaskState.Pending;
        task.Slot = null;
    }

    private void ReleaseSlot(JobTask task)
    {
        if (task.Slot is { } slot)
        {
            _resourceManager.ReleaseSlot(slot.Slot, _job.JobId);
            task.Slot = null;
        }
    }

    private void Finish()
    {
        _result = WordCounter.Result(_reduces.SelectMany(task => task.Output![0].Counts), Stopwatch.GetElapsedTime(_startedTimestamp).TotalSeconds);
        _finishedAt = TimeProvider.GetUtcNow();
        Logger.LogInformation("Job {Job} finished in {Seconds:F2} s with {Redeployed} tasks deployed again", _job.JobId, _result.Seconds, _redeployed);
        TellExecutorsItIsOver();
        _ = ReportResultAsync(_result);
    }

    // Every executor that ran a task of the job stops what it still runs of it and releases the job's blobs in its cache.
    private void TellExecutorsItIsOver()
    {
        foreach ((string executorId, ITaskExecutorGateway executor) in _executors)
        {
            try
            {
                executor.WithEpoch(_epoch).CancelJob(_job.JobId);
            }
            catch (Exception error) when (error is RpcException or InvalidOperationException)
            {
                Logger.LogInformation("Executor {Executor} was not told that job {Job} is over: {Error}", executorId, _job.JobId, error.Message);
            }
        }
    }

    private async Task ReportResultAsync(JobResult result)
    {
        try
        {
            await _dispatcher.JobFinishedAsync(_job.JobId, result);
        }
        catch (Exception error) when (error is RpcException or InvalidOperationException)
        {
            Logger.LogWarning(error, "The dispatcher did not take the result of job {Job}", _job.JobId);
        }
    }
}
