namespace Toolkit.Rpc.Calls;

/// <summary>How the mailbox treats an item while the endpoint is not running.</summary>
internal enum MailboxItemKind
{
    /// <summary>An await continuation or posted callback: always runs, so that started work can finish.</summary>
    Continuation,

    /// <summary>Work the endpoint gave itself (RunAsync, CallAsync, ScheduleRunAsync): runs while starting or running.</summary>
    Internal,

    /// <summary>A gateway call: waits while the endpoint starts, runs while it runs, fails otherwise.</summary>
    Call,
}

/// <summary>One unit of work in an endpoint's mailbox, executed on the endpoint's main thread.</summary>
internal abstract class MailboxItem
{
    public abstract MailboxItemKind Kind { get; }

    /// <summary>Runs the item on <paramref name="endpoint"/>'s main thread.</summary>
    public abstract void Execute(RpcEndpoint endpoint);

    /// <summary>Fails an item that will never run because the endpoint is in <paramref name="state"/>.</summary>
    public abstract void Reject(RpcEndpoint endpoint, RpcEndpointState state);
}
