using System.ComponentModel;

namespace Toolkit.Rpc.Infrastructure;

/// <summary>Where a proxy sends its calls: an endpoint of this process, or (with the transport) a remote one.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class RpcTarget
{
    /// <summary>The target endpoint's reference.</summary>
    public abstract RpcEndpointReference Reference { get; }

    /// <summary>Sends a request/response call.</summary>
    public abstract ValueTask<TResult> AskAsync<TInvocation, TResult>(in TInvocation invocation, TimeSpan? timeout, CancellationToken cancellation)
        where TInvocation : struct, IRpcInvocation<TInvocation, TResult>;

    /// <summary>Sends a request/response call whose result is <see cref="RpcVoid"/>.</summary>
    public abstract ValueTask AskVoidAsync<TInvocation>(in TInvocation invocation, TimeSpan? timeout, CancellationToken cancellation)
        where TInvocation : struct, IRpcInvocation<TInvocation, RpcVoid>;

    /// <summary>The caller's view of the target's leader epoch that calls carry, or <see cref="FencingToken.None"/>.</summary>
    internal virtual long Epoch => FencingToken.None;

    /// <summary>The same target, with calls that carry <paramref name="epoch"/>.</summary>
    internal virtual RpcTarget WithEpoch(long epoch) =>
        throw new NotSupportedException($"{GetType().Name} cannot carry an epoch: only the runtime's own targets can.");

    /// <summary>Sends a one-way call.</summary>
    public abstract void Tell<TInvocation>(in TInvocation invocation)
        where TInvocation : struct, IRpcInvocation<TInvocation, RpcVoid>;

    /// <summary>Opens an item stream: each enumeration of the result is one call, made when it starts.</summary>
    public virtual IAsyncEnumerable<TItem> Stream<TInvocation, TItem>(in TInvocation invocation, CancellationToken cancellation)
        where TInvocation : struct, IRpcStreamInvocation<TInvocation, TItem> =>
        throw new NotSupportedException($"{GetType().Name} does not carry item streams ({TInvocation.Method.Name}).");
}
