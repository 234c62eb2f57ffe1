namespace Toolkit.Rpc.Calls;

/// <summary>A task queued to an endpoint's main-thread <see cref="TaskScheduler"/>.</summary>
internal sealed class ScheduledTask(Func<Task, bool> execute, Task task) : MailboxItem
{
    public override MailboxItemKind Kind => MailboxItemKind.Continuation;

    public override void Execute(RpcEndpoint endpoint) => execute(task);

    public override void Reject(RpcEndpoint endpoint, RpcEndpointState state)
    {
    }
}
