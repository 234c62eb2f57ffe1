namespace Toolkit.Rpc.Calls;

/// <summary>
/// One unit of work in an endpoint's mailbox, executed on the endpoint's main thread. A work item, not a call: the
/// calls among them are also <see cref="PendingCall"/>s, which the call tracker watches for their deadlines.
/// </summary>
internal interface IMailboxItem
{
    MailboxItemKind Kind { get; }

    /// <summary>Runs the item on <paramref name="endpoint"/>'s main thread.</summary>
    void Execute(RpcEndpoint endpoint);

    /// <summary>Fails an item that will never run because the endpoint is in <paramref name="state"/>.</summary>
    void Reject(RpcEndpoint endpoint, RpcEndpointState state);
}
