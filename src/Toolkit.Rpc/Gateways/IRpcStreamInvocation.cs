using System.ComponentModel;

namespace Toolkit.Rpc.Infrastructure;

/// <summary>
/// One streaming gateway method's call (it returns <c>IAsyncEnumerable&lt;TItem&gt;</c>), generated as a struct holding
/// the arguments: the local path calls <see cref="Invoke"/> on the endpoint directly, the transport moves the arguments
/// and then each item through the generated serializers.
/// </summary>
/// <typeparam name="TSelf">The generated struct.</typeparam>
/// <typeparam name="TItem">The stream's item.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IRpcStreamInvocation<TSelf, TItem>
    where TSelf : struct, IRpcStreamInvocation<TSelf, TItem>
{
    /// <summary>The method this struct calls.</summary>
    static abstract RpcMethodDescriptor Method { get; }

    /// <summary>Reads the arguments.</summary>
    static abstract TSelf ReadArguments(ref RpcReader reader);

    /// <summary>Writes one item.</summary>
    static abstract void WriteItem(ref RpcWriter writer, TItem item);

    /// <summary>Reads one item.</summary>
    static abstract TItem ReadItem(ref RpcReader reader);

    /// <summary>Writes the arguments.</summary>
    void WriteArguments(ref RpcWriter writer);

    /// <summary>Calls the method on <paramref name="endpoint"/>; runs on the endpoint's main thread.</summary>
    IAsyncEnumerable<TItem> Invoke(object endpoint, in RpcCallContext context);
}
