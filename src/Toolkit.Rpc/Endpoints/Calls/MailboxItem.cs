namespace Toolkit.Rpc.Calls;

/// <summary>One unit of work in an endpoint's mailbox, executed on the endpoint's main thread.</summary>
internal abstract class MailboxItem
{
    public abstract MailboxItemKind Kind { get; }

    /// <summary>Runs the item on <paramref name="endpoint"/>'s main thread.</summary>
    public abstract void Execute(RpcEndpoint endpoint);

    /// <summary>Fails an item that will never run because the endpoint is in <paramref name="state"/>.</summary>
    public abstract void Reject(RpcEndpoint endpoint, RpcEndpointState state);
}
