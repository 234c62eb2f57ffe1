using System.Buffers;
using System.ComponentModel;

namespace Toolkit.Rpc.Infrastructure;

/// <summary>
/// Where a dispatched call's outcome goes: the encoded result or the failure. The local serialized path and the
/// transport each supply one; <see cref="RpcMethodHandler"/> drives it.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class RpcReply
{
    /// <summary>The context gateways inside the result are written with.</summary>
    public abstract RpcSerializationContext? SerializationContext { get; }

    /// <summary>Returns the buffer the result is encoded into.</summary>
    public abstract IBufferWriter<byte> BeginResult();

    /// <summary>Called after the result was encoded into <see cref="BeginResult"/>'s buffer.</summary>
    public abstract void EndResult();

    /// <summary>Called when decoding the arguments, the method itself or encoding the result failed.</summary>
    public abstract void Fail(Exception exception);

    /// <summary>
    /// Opens the item stream of a streaming method's call: items go to the sink, and the stream's end (or failure) to
    /// <see cref="EndResult"/> (or <see cref="Fail"/>) once the sink has sent them.
    /// </summary>
    internal virtual ItemSink<TItem> OpenItems<TInvocation, TItem>()
        where TInvocation : struct, IRpcStreamInvocation<TInvocation, TItem> =>
        throw new NotSupportedException($"{GetType().Name} does not carry item streams.");
}
