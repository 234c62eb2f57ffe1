using System.Diagnostics;
using Microsoft.Extensions.Logging;
using MiniCluster.Contracts;
using MiniCluster.Jobs;
using Toolkit.Blob;
using Toolkit.Rpc;

namespace MiniCluster.Executor;

/// <summary>Running tasks: the inputs from the blob cache, the counting on the thread pool, the slot and the report on the main thread.</summary>
public sealed partial class TaskExecutor
{
    private async Task RunTaskAsync(RunningTask task)
    {
        TaskDeployment deployment = task.Deployment;
        CancellationToken cancellation = task.Cancellation.Token;
        long started = Stopwatch.GetTimestamp();
        PartitionCounts[] output;
        try
        {
            // The program and the map's shard come through the blob cache, downloaded from the leader's blob server
            // and verified against their keys; a task of this job that ran here before left them in the cache.
            BlobCache cache = CacheFor(deployment);
            string program = await cache.GetAsync(new JobId(deployment.JobId), KeyOf(deployment, deployment.Job.ProgramBlob, "its program"), cancellation);
            string? shard = deployment.Kind == TaskKind.Map
                ? await cache.GetAsync(new JobId(deployment.JobId), KeyOf(deployment, deployment.Job.InputBlobs?.ElementAtOrDefault(deployment.Index), $"shard {deployment.Index}"), cancellation)
                : null;
            // A task cancelled while its download finished (a new leader was found meanwhile) ends here.
            cancellation.ThrowIfCancellationRequested();
            Logger.LogInformation("Task {Job}/{Task} attempt {Attempt} has its input from the blob cache after {Milliseconds:F0} ms", deployment.JobId, deployment.TaskId, deployment.Attempt, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            output = await Task.Run(() => Execute(deployment, program, shard, cancellation), cancellation);
            if (deployment.Job.TaskPauseMs > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(deployment.Job.TaskPauseMs), TimeProvider, cancellation);
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            return;
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            if (ReleaseIfCurrent(task))
            {
                await ReportAsync(deployment, jobMaster => jobMaster.ReportTaskFailedAsync(
                    new TaskFailure(deployment.JobId, deployment.TaskId, deployment.Attempt, ExecutorId, error.GetType().Name + ": " + error.Message)));
            }

            return;
        }

        if (ReleaseIfCurrent(task))
        {
            long inputBytes = deployment.Kind == TaskKind.Map ? deployment.Job.ShardBytes : deployment.ReduceInput?.Length ?? 0;
            TaskCompletion completion = new(deployment.JobId, deployment.TaskId, deployment.Attempt, ExecutorId, output, inputBytes, Stopwatch.GetElapsedTime(started).TotalSeconds);
            await ReportAsync(deployment, jobMaster => jobMaster.ReportTaskFinishedAsync(completion));
        }
    }

    // Runs on the thread pool: only its arguments, no endpoint state. The files are the ones the blob cache verified.
    private static PartitionCounts[] Execute(TaskDeployment deployment, string programFile, string? shardFile, CancellationToken cancellation)
    {
        cancellation.ThrowIfCancellationRequested();
        WordCountProgram program = WordCountProgram.Parse(File.ReadAllBytes(programFile));
        if (program.Reducers != deployment.Job.Reducers)
        {
            throw new InvalidDataException($"The program of job {deployment.JobId} splits its counts into {program.Reducers} partitions, but the job has {deployment.Job.Reducers} reduce tasks.");
        }

        return deployment.Kind == TaskKind.Map
            ? WordCounter.Map(File.ReadAllBytes(shardFile!), program.Reducers)
            : [new PartitionCounts(deployment.Index, WordCounter.Reduce(deployment.ReduceInput ?? []))];
    }

    private static BlobKey KeyOf(TaskDeployment deployment, string? key, string what) =>
        BlobKey.TryParse(key, out BlobKey parsed)
            ? parsed
            : throw new InvalidDataException($"Job {deployment.JobId} carries no valid blob key for {what} ('{key}'): its submitter uploads the input before it submits.");

    private async Task ReportAsync(TaskDeployment deployment, Func<IJobMasterGateway, Task> report)
    {
        try
        {
            await report(deployment.JobMaster.WithEpoch(deployment.Epoch));
        }
        catch (Exception error) when (error is RpcException or InvalidOperationException)
        {
            Logger.LogWarning("The job master of {Job} did not take the report of {Task}: {Error}", deployment.JobId, deployment.TaskId, error.Message);
        }
    }

    /// <summary>Frees the task's slot if the task still holds it (it was not cancelled meanwhile).</summary>
    private bool ReleaseIfCurrent(RunningTask task)
    {
        int slot = Array.IndexOf(_slots, task);
        if (slot < 0)
        {
            return false;
        }

        FreeSlot(slot, cancel: false);
        return true;
    }

    private void FreeSlot(int slot, bool cancel)
    {
        if (_slots[slot] is { } task)
        {
            _slots[slot] = null;
            if (cancel)
            {
                Logger.LogInformation("Task {Job}/{Task} cancelled", task.Deployment.JobId, task.Deployment.TaskId);
                task.Cancellation.Cancel();
            }

            task.Dispose();
        }
    }
}
