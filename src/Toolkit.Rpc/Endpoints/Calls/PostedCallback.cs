namespace Toolkit.Rpc.Calls;

/// <summary>An await continuation or a callback posted to an endpoint's synchronization context.</summary>
internal sealed class PostedCallback(SendOrPostCallback callback, object? state) : IMailboxItem
{
    public MailboxItemKind Kind => MailboxItemKind.Continuation;

    public void Execute(RpcEndpoint endpoint) => callback(state);

    public void Reject(RpcEndpoint endpoint, RpcEndpointState state)
    {
    }
}
