using System.ComponentModel;

namespace Toolkit.Rpc.Infrastructure;

/// <summary>
/// What a reader needs beyond the bytes: turning an endpoint reference found inside a message into a gateway
/// the receiver can call. <see cref="RpcService"/> is the implementation users meet.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class RpcSerializationContext
{
    private readonly int _maxDepth = RpcWriter.DefaultMaxDepth;

    /// <summary>
    /// How deep objects may nest in the values read and written with this context (<see cref="RpcWriter.DefaultMaxDepth"/>
    /// by default): data nested deeper is refused with an <see cref="RpcSerializationException"/>, as is data nested
    /// deeper than the thread's stack can take, whatever the limit.
    /// </summary>
    public int MaxDepth
    {
        get => _maxDepth;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _maxDepth = value;
        }
    }

    /// <summary>Returns a callable gateway of type <typeparamref name="TGateway"/> for <paramref name="reference"/>.</summary>
    public abstract TGateway ResolveGateway<TGateway>(RpcEndpointReference reference)
        where TGateway : class;

    /// <summary>
    /// The types of the peer that wrote the data being read, from its contracts: what a reader needs to skip members
    /// that a newer peer appended. Null outside a connection.
    /// </summary>
    internal virtual WireSchema? PeerSchema => null;

    /// <summary>Where the byte streams (<see cref="Stream"/>, <see cref="System.IO.Pipelines.PipeReader"/>) written and read with this context go and come from; null outside a service.</summary>
    internal virtual ByteStreamScope? ByteStreams => null;
}
