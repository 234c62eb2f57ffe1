namespace Toolkit.Rpc.Serialization;

/// <summary>
/// What a reader needs beyond the bytes: turning an endpoint reference found inside a message into a gateway
/// the receiver can call. <see cref="RpcService"/> is the implementation users meet.
/// </summary>
public abstract class RpcSerializationContext
{
    /// <summary>Returns a callable gateway of type <typeparamref name="TGateway"/> for <paramref name="reference"/>.</summary>
    public abstract TGateway ResolveGateway<TGateway>(RpcEndpointReference reference)
        where TGateway : class;

    /// <summary>
    /// The types of the peer that wrote the data being read, from its contracts: what a reader needs to skip members
    /// that a newer peer appended. Null outside a connection.
    /// </summary>
    internal virtual WireSchema? PeerSchema => null;
}
