using Toolkit.Rpc.Calls;

namespace Toolkit.Rpc.Streams;

/// <summary>
/// An item stream from an endpoint of this process: each enumeration is one call, queued in the endpoint's mailbox
/// when it starts (<see cref="LocalStreamCall{TInvocation, TItem}"/>). Items pass by reference, as the arguments of a
/// local ask do.
/// </summary>
/// <param name="endpoint">The producing endpoint.</param>
/// <param name="invocation">The method and its arguments.</param>
/// <param name="epoch">The caller's view of a fenced endpoint's epoch, checked when the call's turn comes.</param>
/// <param name="cancellation">The token the caller gave the method.</param>
internal sealed class LocalItemStream<TInvocation, TItem>(RpcEndpoint endpoint, TInvocation invocation, long epoch, CancellationToken cancellation) : IAsyncEnumerable<TItem>
    where TInvocation : struct, IRpcStreamInvocation<TInvocation, TItem>
{
    public IAsyncEnumerator<TItem> GetAsyncEnumerator(CancellationToken enumeration = default)
    {
        RpcCallSite site = endpoint.CallSite(TInvocation.Method);
        RpcEndpointState state = endpoint.State;
        if (endpoint.RuntimeOrNull is not { } runtime || state is not (RpcEndpointState.Starting or RpcEndpointState.Running))
        {
            return new FailedItemStream<TItem>(new RpcEndpointUnavailableException(site, state));
        }

        if (cancellation.IsCancellationRequested || enumeration.IsCancellationRequested)
        {
            return new FailedItemStream<TItem>(CallFailures.Cancelled(site, cancellation.IsCancellationRequested ? cancellation : enumeration));
        }

        return LocalStreamCall<TInvocation, TItem>.Start(endpoint, runtime, invocation, epoch, site, cancellation, enumeration);
    }
}
