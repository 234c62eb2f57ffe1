using Toolkit.Rpc.Calls;

namespace Toolkit.Rpc;

/// <summary>Schedules tasks on an endpoint's main thread, one at a time (<see cref="RpcEndpoint.MainThreadScheduler"/>).</summary>
internal sealed class EndpointTaskScheduler(RpcEndpoint endpoint) : TaskScheduler
{
    public override int MaximumConcurrencyLevel => 1;

    protected override void QueueTask(Task task) => endpoint.Enqueue(new ScheduledTask(TryExecuteTask, task));

    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) =>
        endpoint.IsInMainThread && TryExecuteTask(task);

    protected override IEnumerable<Task>? GetScheduledTasks() => null;
}
