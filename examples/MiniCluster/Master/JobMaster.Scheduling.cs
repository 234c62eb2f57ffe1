using Microsoft.Extensions.Logging;
using MiniCluster.Contracts;
using Toolkit.Rpc;

namespace MiniCluster.Master;

/// <summary>The job master's scheduling: slots for pending tasks, deployments, and what follows a refused one.</summary>
public sealed partial class JobMaster
{
    private void ScheduleNextRound()
    {
        if (!_stopping.IsCancellationRequested && _result is null && _error is null)
        {
            _ = ScheduleRunAsync(ScheduleRoundAsync, SchedulingInterval, _stopping.Token);
        }
    }

    private async Task ScheduleRoundAsync()
    {
        try
        {
            if (!_requestingSlots && Schedulable().Any())
            {
                _requestingSlots = true;
                SlotAllocation[] slots = await _resourceManager.RequestSlotsAsync(_job.JobId, Schedulable().Count());
                foreach (SlotAllocation slot in slots)
                {
                    // State may have changed while the request was out: match slots to what is pending now.
                    if (Schedulable().FirstOrDefault() is { } task)
                    {
                        _ = DeployAsync(task, slot);
                    }
                    else
                    {
                        _resourceManager.ReleaseSlot(slot.Slot, _job.JobId);
                    }
                }
            }
        }
        catch (Exception error) when (error is RpcException or InvalidOperationException)
        {
            Logger.LogWarning("Job {Job}: no slots this round: {Error}", _job.JobId, error.Message);
        }
        finally
        {
            _requestingSlots = false;
            ScheduleNextRound();
        }
    }

    private IEnumerable<JobTask> Schedulable() =>
        (MapsDone ? _reduces : _maps).Where(task => task.State == TaskState.Pending);

    private async Task DeployAsync(JobTask task, SlotAllocation slot)
    {
        int attempt = ++task.Attempt;
        if (attempt > 1)
        {
            _redeployed++;
        }

        task.State = TaskState.Deploying;
        task.Slot = slot;
        _executors[slot.Slot.ExecutorId] = slot.Executor;
        WordCount[]? reduceInput = task.Kind == TaskKind.Reduce
            ? [.. _maps.SelectMany(map => map.Output!.First(partition => partition.Partition == task.Index).Counts)]
            : null;
        TaskDeployment deployment = new(_job.JobId, task.Id, task.Kind, task.Index, attempt, slot.Slot.Index, _epoch, GetSelfGateway<IJobMasterGateway>().WithEpoch(_epoch), _job, reduceInput);
        DeployResponse response;
        try
        {
            response = await slot.Executor.WithEpoch(_epoch).SubmitTaskAsync(deployment, DeployTimeout);
        }
        catch (Exception error) when (error is RpcException or InvalidOperationException)
        {
            response = new DeployResponse(false, error.Message);
        }

        if (task.State != TaskState.Deploying || task.Attempt != attempt)
        {
            return;
        }

        if (response.Accepted)
        {
            task.State = TaskState.Running;
            return;
        }

        Logger.LogWarning("Executor {Executor} refused {Task}: {Reason}", slot.Slot.ExecutorId, task.Id, response.Reason);
        ReleaseSlot(task);
        task.State = TaskState.Pending;
    }
}
