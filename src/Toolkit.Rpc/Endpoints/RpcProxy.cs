using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Toolkit.Rpc.Infrastructure;

/// <summary>The base of generated proxies: each gateway method packs its arguments and hands them to <see cref="Target"/>.</summary>
[DebuggerDisplay("{ToString(),nq}")]
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class RpcProxy
{
    /// <summary>Creates a proxy over <paramref name="target"/>.</summary>
    protected RpcProxy(RpcTarget target) => Target = target ?? throw new ArgumentNullException(nameof(target));

    /// <summary>Where calls go.</summary>
    public RpcTarget Target { get; }

    /// <inheritdoc />
    public override string ToString() => $"{GetType().Name} → {Target.Reference}";

    /// <summary>Two proxies are equal when they call the same endpoint.</summary>
    public override bool Equals(object? obj) => obj is RpcProxy other && other.GetType() == GetType() && other.Target.Reference == Target.Reference;

    /// <inheritdoc />
    public override int GetHashCode() => Target.Reference.GetHashCode();

    /// <summary>Sends a request/response call.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected ValueTask<TResult> AskAsync<TInvocation, TResult>(in TInvocation invocation, TimeSpan? timeout, CancellationToken cancellation)
        where TInvocation : struct, IRpcInvocation<TInvocation, TResult> =>
        // The type test and the non-virtual local entry points keep the common local path free of generic virtual calls.
        Target is LocalRpcTarget local
            ? local.AskLocal<TInvocation, TResult>(invocation, timeout, cancellation)
            : Target.AskAsync<TInvocation, TResult>(invocation, timeout, cancellation);

    /// <summary>Sends a request/response call without a result.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected ValueTask AskVoidAsync<TInvocation>(in TInvocation invocation, TimeSpan? timeout, CancellationToken cancellation)
        where TInvocation : struct, IRpcInvocation<TInvocation, RpcVoid> =>
        Target is LocalRpcTarget local
            ? local.AskVoidLocal(invocation, timeout, cancellation)
            : Target.AskVoidAsync(invocation, timeout, cancellation);

    /// <summary>Sends a one-way call.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected void Tell<TInvocation>(in TInvocation invocation)
        where TInvocation : struct, IRpcInvocation<TInvocation, RpcVoid>
    {
        if (Target is LocalRpcTarget local)
        {
            local.TellLocal(invocation);
        }
        else
        {
            Target.Tell(invocation);
        }
    }

    /// <summary>Opens an item stream; the call is made when the caller starts enumerating.</summary>
    protected IAsyncEnumerable<TItem> Stream<TInvocation, TItem>(in TInvocation invocation, CancellationToken cancellation)
        where TInvocation : struct, IRpcStreamInvocation<TInvocation, TItem> =>
        Target.Stream<TInvocation, TItem>(invocation, cancellation);
}
