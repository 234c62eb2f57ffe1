using System.ComponentModel;

namespace Toolkit.Rpc.Infrastructure;

/// <summary>Writes and reads gateways that travel inside messages, as endpoint references.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class RpcGatewayReferences
{
    /// <summary>Writes <paramref name="gateway"/> (a Toolkit proxy or an endpoint) as a reference, or null.</summary>
    public static void Write<TGateway>(ref RpcWriter writer, TGateway? gateway)
        where TGateway : class
    {
        if (gateway is null)
        {
            writer.WriteNullObject();
            return;
        }

        RpcEndpointReference reference = gateway switch
        {
            RpcProxy proxy => proxy.Target.Reference,
            RpcEndpoint endpoint => endpoint.Reference,
            _ => throw new RpcSerializationException(
                $"Cannot write a {typeof(TGateway).Name} of type {gateway.GetType().FullName}: only gateways handed out by an RpcService " +
                "(proxies) and endpoints themselves can travel inside messages."),
        };
        reference.Write(ref writer);
    }

    /// <summary>Reads a reference and returns a callable gateway for it, or null.</summary>
    public static TGateway? Read<TGateway>(ref RpcReader reader)
        where TGateway : class
    {
        if (!reader.TryReadObjectHeader(out byte memberCount))
        {
            return null;
        }

        RpcEndpointReference reference = RpcEndpointReference.Read(ref reader, memberCount);
        RpcSerializationContext context = reader.Context ?? throw new RpcSerializationException(
            $"Cannot read the {typeof(TGateway).Name} for {reference}: gateways inside messages can only be read through an RpcService.");
        return context.ResolveGateway<TGateway>(reference);
    }
}
