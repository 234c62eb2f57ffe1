using System.Runtime.CompilerServices;
using Toolkit.Rpc.Gateways;

namespace Toolkit.Rpc.Calls;

/// <summary>A local one-way call: pooled, never awaited; a failure is logged by the target endpoint.</summary>
internal sealed class TellCall<TInvocation> : MailboxItem
    where TInvocation : struct, IRpcInvocation<TInvocation, RpcVoid>
{
    private readonly ItemPool<TellCall<TInvocation>> _pool;
    private TInvocation _invocation;

    private TellCall(ItemPool<TellCall<TInvocation>> pool) => _pool = pool;

    public override MailboxItemKind Kind => MailboxItemKind.Call;

    public static void Start(RpcService service, RpcEndpoint endpoint, in TInvocation invocation)
    {
        ItemPool<TellCall<TInvocation>> pool = service.Pools.Get<TellCall<TInvocation>>();
        TellCall<TInvocation> call = pool.Rent() ?? new TellCall<TInvocation>(pool);
        call._invocation = invocation;
        endpoint.Enqueue(call);
    }

    public override void Execute(RpcEndpoint endpoint)
    {
        TInvocation invocation = _invocation;
        Recycle();
        ValueTask<RpcVoid> pending;
        try
        {
            pending = invocation.Invoke(endpoint, new RpcCallContext(Timeout.InfiniteTimeSpan, CancellationToken.None));
        }
        catch (Exception exception)
        {
            endpoint.ReportOneWayFailure(TInvocation.Method, exception);
            return;
        }

        if (!pending.IsCompletedSuccessfully)
        {
            ObserveAsynchronousCompletion(endpoint, pending);
        }
    }

    public override void Reject(RpcEndpoint endpoint, RpcEndpointState state)
    {
        Recycle();
        endpoint.ReportDroppedOneWay(TInvocation.Method, state);
    }

    // A method of its own: the closure captures a parameter, so in Execute the compiler would allocate it on
    // entry, for every call, including the synchronous ones that never need it.
    private static void ObserveAsynchronousCompletion(RpcEndpoint endpoint, ValueTask<RpcVoid> pending)
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
        _invocation = default;
        _pool.Return(this);
    }
}
