using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace Toolkit.Rpc.Infrastructure;

/// <summary>The dispatch-table row for the method whose generated invocation struct is <typeparamref name="TInvocation"/>.</summary>
/// <typeparam name="TInvocation">The generated invocation struct.</typeparam>
/// <typeparam name="TResult">The method's result.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class RpcMethodHandler<TInvocation, TResult> : RpcMethodHandler
    where TInvocation : struct, IRpcInvocation<TInvocation, TResult>
{
    /// <summary>Creates the row; generated code calls this.</summary>
    public RpcMethodHandler(RpcMethodDescriptor method)
        : base(method)
    {
    }

    /// <inheritdoc />
    public override void Invoke(object endpoint, ref RpcReader arguments, in RpcCallContext context, RpcReply reply)
    {
        ValueTask<TResult> pending;
        try
        {
            TInvocation invocation = TInvocation.ReadArguments(ref arguments);
            arguments.EnsureFullyConsumed();
            pending = invocation.Invoke(endpoint, context);
        }
        catch (Exception exception)
        {
            reply.Fail(exception);
            return;
        }

        if (pending.IsCompleted)
        {
            Complete(pending, reply);
            return;
        }

        CompleteWhenDone(pending, reply);
    }

    // A method of its own: the closure captures a parameter, so in Invoke the compiler would allocate it on
    // entry, for every call, including the synchronous ones that never need it.
    private static void CompleteWhenDone(ValueTask<TResult> pending, RpcReply reply)
    {
        // ConfigureAwait(false): the reply is thread-safe, and the endpoint's own continuations already ran on its main thread.
        ConfiguredValueTaskAwaitable<TResult>.ConfiguredValueTaskAwaiter awaiter = pending.ConfigureAwait(false).GetAwaiter();
        awaiter.UnsafeOnCompleted(() => Complete(awaiter, reply));
    }

    private static void Complete(ValueTask<TResult> completed, RpcReply reply) =>
        Complete(completed.ConfigureAwait(false).GetAwaiter(), reply);

    private static void Complete(ConfiguredValueTaskAwaitable<TResult>.ConfiguredValueTaskAwaiter awaiter, RpcReply reply)
    {
        TResult result;
        try
        {
            result = awaiter.GetResult();
        }
        catch (Exception exception)
        {
            reply.Fail(exception);
            return;
        }

        try
        {
            RpcWriter writer = new(reply.BeginResult(), reply.SerializationContext);
            TInvocation.WriteResult(ref writer, result);
            writer.Flush();
        }
        catch (Exception exception)
        {
            reply.Fail(new RpcSerializationException($"The result of {TInvocation.Method.Name} could not be written: {exception.Message}", exception));
            return;
        }

        reply.EndResult();
    }
}
