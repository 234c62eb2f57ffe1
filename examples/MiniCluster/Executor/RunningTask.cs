using MiniCluster.Contracts;

namespace MiniCluster.Executor;

/// <summary>A task in one of the executor's slots, and how to stop it.</summary>
internal sealed class RunningTask(TaskDeployment deployment) : IDisposable
{
    public TaskDeployment Deployment { get; } = deployment;

    public CancellationTokenSource Cancellation { get; } = new();

    public SlotView View(int index) => new(index, Deployment.JobId, Deployment.TaskId);

    public void Dispose() => Cancellation.Dispose();
}
