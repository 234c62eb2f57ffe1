namespace Toolkit.Rpc.Calls;

/// <summary>An await continuation or a callback posted to an endpoint's synchronization context.</summary>
internal sealed class PostedCallback(SendOrPostCallback callback, object? state) : MailboxItem
{
    public override MailboxItemKind Kind => MailboxItemKind.Continuation;

    public override void Execute(RpcEndpoint endpoint) => callback(state);

    public override void Reject(RpcEndpoint endpoint, RpcEndpointState state)
    {
    }
}
