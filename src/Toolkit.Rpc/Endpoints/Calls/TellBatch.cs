using System.Runtime.CompilerServices;

namespace Toolkit.Rpc.Calls;

/// <summary>
/// Consecutive local one-way calls of one method, queued as one mailbox item (see
/// <see cref="RpcEndpoint.EnqueueTell{TInvocation}"/>). Pooled; a failing call is logged by the endpoint and
/// does not stop the calls after it.
/// </summary>
internal sealed class TellBatch<TInvocation> : IMailboxItem
    where TInvocation : struct, IRpcInvocation<TInvocation, RpcVoid>
{
    // Large enough that a burst costs few batch items, small enough that one batch is a short turn.
    private const int Capacity = 256;

    private readonly ItemPool<TellBatch<TInvocation>> _pool;
    private readonly TInvocation[] _invocations = new TInvocation[Capacity];
    private int _count;
    private long _epoch;

    public TellBatch(ItemPool<TellBatch<TInvocation>> pool) => _pool = pool;

    public MailboxItemKind Kind => MailboxItemKind.Call;

    /// <summary>
    /// Adds a call; false when the batch is full or holds calls with another epoch. Only called under the endpoint's
    /// mailbox lock, before the main thread takes the batch.
    /// </summary>
    public bool TryAdd(in TInvocation invocation, long epoch)
    {
        if (_count == Capacity || (_count > 0 && epoch != _epoch))
        {
            return false;
        }

        _epoch = epoch;

        _invocations[_count++] = invocation;
        return true;
    }

    public void Execute(RpcEndpoint endpoint)
    {
        if (TInvocation.Method.IsFenced && endpoint.Fence(TInvocation.Method, _epoch) is { } fenced)
        {
            endpoint.ReportOneWayFailure(TInvocation.Method, fenced);
            Recycle();
            return;
        }

        RpcCallContext context = new(Timeout.InfiniteTimeSpan, CancellationToken.None);
        for (int i = 0; i < _count; i++)
        {
            ValueTask<RpcVoid> pending;
            try
            {
                pending = _invocations[i].Invoke(endpoint, context);
            }
            catch (Exception exception)
            {
                endpoint.ReportOneWayFailure(TInvocation.Method, exception);
                continue;
            }

            if (!pending.IsCompletedSuccessfully)
            {
                ObserveFailure(endpoint, pending);
            }
        }

        Recycle();
    }

    public void Reject(RpcEndpoint endpoint, RpcEndpointState state)
    {
        endpoint.ReportDroppedOneWay(TInvocation.Method, state, _count);
        Recycle();
    }

    private static void ObserveFailure(RpcEndpoint endpoint, ValueTask<RpcVoid> pending)
    {
        ConfiguredValueTaskAwaitable<RpcVoid>.ConfiguredValueTaskAwaiter awaiter = pending.ConfigureAwait(false).GetAwaiter();
        awaiter.UnsafeOnCompleted(() =>
        {
            try
            {
                awaiter.GetResult();
            }
            catch (Exception exception)
            {
                endpoint.ReportOneWayFailure(TInvocation.Method, exception);
            }
        });
    }

    private void Recycle()
    {
        // Clear so that pooled batches do not keep arguments alive.
        Array.Clear(_invocations, 0, _count);
        _count = 0;
        _pool.Return(this);
    }
}
