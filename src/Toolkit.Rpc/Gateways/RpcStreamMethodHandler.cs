using System.ComponentModel;

namespace Toolkit.Rpc.Infrastructure;

/// <summary>
/// The dispatch-table row for a streaming method (it returns <c>IAsyncEnumerable&lt;TItem&gt;</c>): decodes the
/// arguments, calls the method and pumps its items into the reply's item sink until the iterator ends, throws or the
/// caller cancels.
/// </summary>
/// <typeparam name="TInvocation">The generated invocation struct.</typeparam>
/// <typeparam name="TItem">The stream's item.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class RpcStreamMethodHandler<TInvocation, TItem> : RpcMethodHandler
    where TInvocation : struct, IRpcStreamInvocation<TInvocation, TItem>
{
    /// <summary>Creates the row; generated code calls this.</summary>
    public RpcStreamMethodHandler(RpcMethodDescriptor method)
        : base(method)
    {
    }

    /// <inheritdoc />
    public override void Invoke(object endpoint, ref RpcReader arguments, in RpcCallContext context, RpcReply reply)
    {
        IAsyncEnumerable<TItem> source;
        ItemSink<TItem> sink;
        try
        {
            TInvocation invocation = TInvocation.ReadArguments(ref arguments);
            arguments.EnsureFullyConsumed();
            sink = reply.OpenItems<TInvocation, TItem>();
            source = invocation.Invoke(endpoint, context);
        }
        catch (Exception exception)
        {
            reply.Fail(exception);
            return;
        }

        _ = ItemStreamPump.RunAsync(source, sink, context.CancellationToken);
    }
}
