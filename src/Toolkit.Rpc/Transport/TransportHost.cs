using Microsoft.Extensions.Logging;
using Toolkit.Rpc.Calls;

namespace Toolkit.Rpc.Transport;

/// <summary>
/// What the transport needs of the service it carries calls for — its endpoints, its identity and runtime, whether it
/// is stopping — so that it never reaches up to the public <see cref="RpcService"/>. The service implements it.
/// </summary>
internal abstract class TransportHost
{
    protected TransportHost(EndpointRuntime runtime)
    {
        Runtime = runtime;
        TransportLogger = runtime.LoggerFactory.CreateLogger("Toolkit.Rpc.Transport");
        Connections = new ConnectionDirectory(this);
    }

    /// <summary>The service's runtime: options, node id and address, clock, call tracker and pools.</summary>
    public EndpointRuntime Runtime { get; }

    public RpcServiceOptions Options => Runtime.Options;

    public string NodeId => Runtime.NodeId;

    public string? Address => Runtime.Address;

    public CallTracker Tracker => Runtime.Tracker;

    public ItemPools Pools => Runtime.Pools;

    /// <summary>What gateways inside messages resolve through, and what replies are written with.</summary>
    public RpcSerializationContext SerializationContext => Runtime.SerializationContext;

    public ILogger TransportLogger { get; }

    /// <summary>The service's connections, by peer.</summary>
    public ConnectionDirectory Connections { get; }

    /// <summary>Where accepted call connections wait for their byte-stream links.</summary>
    public LinkRendezvous Links { get; } = new();

    /// <summary>Whether the service has been disposed: it opens and accepts no connection then.</summary>
    public abstract bool IsDisposed { get; }

    /// <summary>Whether a graceful stop has begun: calls from other services are refused from then on.</summary>
    public abstract bool IsStopping { get; }

    public abstract RpcEndpoint? FindEndpoint(string name);

    /// <summary>Whether the endpoint named <paramref name="name"/> ran and was stopped (and not started again).</summary>
    public abstract bool HasStopped(string name);

    /// <summary>"has no endpoint named 'x' (it has: …)": how errors say a name is not one of the service's endpoints.</summary>
    public abstract string HasNoEndpoint(string name);

    /// <summary>
    /// Why a lookup for <paramref name="gatewayName"/> on <paramref name="endpointName"/> fails, or null when the
    /// endpoint exists and implements it (<paramref name="gateway"/>); the connection then checks the contracts.
    /// </summary>
    public abstract string? DescribeLookupProblem(string endpointName, string gatewayName, out RpcGatewayDescriptor? gateway);

    /// <summary>The gateways the service's endpoints implement, as the handshake announces them.</summary>
    public abstract IReadOnlyCollection<RpcGatewayDescriptor> ServedGateways();

    /// <summary>A connection to <paramref name="peer"/> opened or closed: the service's endpoints hear of it.</summary>
    public abstract void NotifyRemote(RpcPeer peer, bool connected);
}
