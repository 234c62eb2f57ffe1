using Toolkit.Rpc.Streams;

namespace Toolkit.Rpc.Transport.Streams;

/// <summary>An item stream from an endpoint of another service: each enumeration is one call, sent when it starts.</summary>
internal sealed class RemoteItemStream<TInvocation, TItem>(RemoteRpcTarget target, TInvocation invocation, CancellationToken cancellation) : IAsyncEnumerable<TItem>
    where TInvocation : struct, IRpcStreamInvocation<TInvocation, TItem>
{
    public IAsyncEnumerator<TItem> GetAsyncEnumerator(CancellationToken enumeration = default)
    {
        RpcCallSite site = target.SiteOf(TInvocation.Method);
        if (cancellation.IsCancellationRequested || enumeration.IsCancellationRequested)
        {
            return new FailedItemStream<TItem>(Calls.CallFailures.Cancelled(site, cancellation.IsCancellationRequested ? cancellation : enumeration));
        }

        RpcConnection connection;
        try
        {
            connection = target.ConnectionFor(TInvocation.Method.Gateway);
        }
        catch (RpcConnectionException exception)
        {
            return new FailedItemStream<TItem>(new RpcConnectionException(site, exception.Message, exception));
        }

        return RemoteStreamCall<TInvocation, TItem>.Start(connection, target, invocation, site, cancellation, enumeration);
    }
}
