using System.ComponentModel;

namespace Toolkit.Rpc.Infrastructure;

/// <summary>
/// One row of a dispatch table: decodes a method's arguments, calls the endpoint and encodes the result.
/// Runs on the endpoint's main thread.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class RpcMethodHandler
{
    private protected RpcMethodHandler(RpcMethodDescriptor method) => Method = method;

    /// <summary>The method this row dispatches.</summary>
    public RpcMethodDescriptor Method { get; }

    /// <summary>Decodes the arguments from <paramref name="arguments"/>, calls <paramref name="endpoint"/> and reports to <paramref name="reply"/>.</summary>
    public abstract void Invoke(object endpoint, ref RpcReader arguments, in RpcCallContext context, RpcReply reply);
}
