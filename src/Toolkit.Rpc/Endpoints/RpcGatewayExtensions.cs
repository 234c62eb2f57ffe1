namespace Toolkit.Rpc;

/// <summary>What can be done with any gateway: remote or local, connected or received inside a message.</summary>
public static class RpcGatewayExtensions
{
    /// <summary>
    /// Returns the same gateway with calls that carry <paramref name="epoch"/>, the caller's view of the leader epoch of
    /// the <see cref="FencedRpcEndpoint"/> behind it. Calls of <see cref="RpcFencedAttribute"/> methods run only while
    /// the endpoint leads in that epoch; otherwise they fail with <see cref="RpcFencingException"/>. The gateway it is
    /// called on is left unchanged.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="gateway"/> is not a gateway made by Toolkit.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epoch"/> is <see cref="long.MinValue"/>, which no epoch can be.</exception>
    public static TGateway WithEpoch<TGateway>(this TGateway gateway, long epoch)
        where TGateway : class
    {
        ArgumentNullException.ThrowIfNull(gateway);
        FencingToken.ThrowIfNone(epoch, nameof(epoch));
        RpcProxy proxy = AsProxy(gateway);
        return (TGateway)RpcGatewayRegistry.Get<TGateway>().CreateProxy(proxy.Target.WithEpoch(epoch));
    }

    /// <summary>The epoch the gateway's calls carry (<see cref="WithEpoch{TGateway}"/>), or null when they carry none.</summary>
    /// <exception cref="ArgumentException"><paramref name="gateway"/> is not a gateway made by Toolkit.</exception>
    public static long? GetEpoch<TGateway>(this TGateway gateway)
        where TGateway : class
    {
        ArgumentNullException.ThrowIfNull(gateway);
        return FencingToken.ToNullable(AsProxy(gateway).Target.Epoch);
    }

    private static RpcProxy AsProxy(object gateway) => gateway as RpcProxy ?? throw new ArgumentException(
        $"{gateway.GetType().FullName} is not a gateway made by Toolkit: get one from ConnectAsync, GetRemoteGateway, GetGateway or GetSelfGateway.",
        nameof(gateway));
}
