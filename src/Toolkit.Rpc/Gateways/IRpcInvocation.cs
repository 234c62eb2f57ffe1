using System.ComponentModel;

namespace Toolkit.Rpc.Infrastructure;

/// <summary>
/// One gateway method's call, generated as a struct holding the arguments. The same struct serves the local
/// path (<see cref="Invoke"/> on the endpoint directly) and the serialized path (arguments and result through
/// the generated serializers), so proxies and dispatch tables share one piece of generated code per method.
/// </summary>
/// <typeparam name="TSelf">The generated struct.</typeparam>
/// <typeparam name="TResult">The method's result, or <see cref="RpcVoid"/>.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IRpcInvocation<TSelf, TResult>
    where TSelf : struct, IRpcInvocation<TSelf, TResult>
{
    /// <summary>The method this struct calls.</summary>
    static abstract RpcMethodDescriptor Method { get; }

    /// <summary>Reads the arguments.</summary>
    static abstract TSelf ReadArguments(ref RpcReader reader);

    /// <summary>Writes a result.</summary>
    static abstract void WriteResult(ref RpcWriter writer, TResult result);

    /// <summary>Reads a result.</summary>
    static abstract TResult ReadResult(ref RpcReader reader);

    /// <summary>Writes the arguments.</summary>
    void WriteArguments(ref RpcWriter writer);

    /// <summary>Calls the method on <paramref name="endpoint"/>; runs on the endpoint's main thread.</summary>
    ValueTask<TResult> Invoke(object endpoint, in RpcCallContext context);
}
