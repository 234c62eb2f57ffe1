namespace Toolkit.Rpc.Calls;

/// <summary>A task queued to an endpoint's main-thread <see cref="TaskScheduler"/>.</summary>
internal sealed class ScheduledTask(Func<Task, bool> execute, Task task) : IMailboxItem
{
    public MailboxItemKind Kind => MailboxItemKind.Continuation;

    public void Execute(RpcEndpoint endpoint) => execute(task);

    public void Reject(RpcEndpoint endpoint, RpcEndpointState state)
    {
    }
}
