using System.Collections.Concurrent;
using Toolkit.Rpc.Transport;

namespace Toolkit.Rpc;

public sealed partial class RpcService
{
    // Names of endpoints that stopped (and were not started again), so that a remote caller hears "stopped"
    // rather than "no such endpoint".
    private readonly ConcurrentDictionary<string, byte> _stoppedEndpoints = new(StringComparer.Ordinal);
    private RpcListener? _listener;

    // The byte streams of calls between this service's own endpoints that are serialized (SerializeLocalCalls).
    private readonly LocalByteStreams _localByteStreams = new();

    internal override ByteStreamScope? ByteStreams => _localByteStreams;

    /// <summary>What the transport sees of this service.</summary>
    internal TransportHost Transport => _transport;

    /// <summary>
    /// Returns a gateway to the endpoint at <paramref name="address"/> (<c>rpc://host:port/endpointName</c>): connects
    /// to that service if this one has no connection to it yet, and checks that the endpoint exists and implements
    /// <typeparamref name="TGateway"/>. Calls then go over the connection, which the next call reopens if it drops.
    /// </summary>
    /// <exception cref="FormatException">The address is not of the form <c>rpc://host:port/endpointName</c>.</exception>
    /// <exception cref="RpcConnectionException">The service cannot be reached or refused the connection (protocol version, secret, contracts).</exception>
    /// <exception cref="RpcEndpointNotFoundException">The service has no such endpoint, or it does not implement the gateway.</exception>
    public async Task<TGateway> ConnectAsync<TGateway>(string address, CancellationToken cancellation = default)
        where TGateway : class
    {
        RpcGatewayDescriptor descriptor = RpcGatewayRegistry.Get<TGateway>();
        (string host, int port, string endpointName) = RpcAddress.ParseEndpointUri(address);
        string serviceAddress = RpcAddress.Format(host, port);
        if (serviceAddress == Address)
        {
            return GetGateway<TGateway>(endpointName);
        }

        RpcConnection connection = _transport.Connections.Get(serviceAddress);
        await connection.Ready.WaitAsync(cancellation).ConfigureAwait(false);
        RemoteRpcTarget target = new(_transport, new RpcEndpointReference(connection.Peer!.NodeId, serviceAddress, endpointName));
        await target.LookupAsync(descriptor, cancellation).ConfigureAwait(false);
        return (TGateway)descriptor.CreateProxy(target);
    }

    /// <summary>
    /// Returns a gateway of type <typeparamref name="TGateway"/> to the endpoint at <paramref name="address"/>
    /// (<c>rpc://host:port/endpointName</c>) without connecting: its first call connects, and the next call after the
    /// connection dropped connects again. Unlike <see cref="ConnectAsync{TGateway}"/> it does not check that the
    /// endpoint exists first: a call to a missing endpoint fails with <see cref="RpcEndpointNotFoundException"/>.
    /// This is the form for clients made before their server runs, as a host's dependency injection makes them.
    /// </summary>
    /// <exception cref="FormatException">The address is not of the form <c>rpc://host:port/endpointName</c>.</exception>
    public TGateway GetRemoteGateway<TGateway>(string address)
        where TGateway : class
    {
        RpcGatewayDescriptor descriptor = RpcGatewayRegistry.Get<TGateway>();
        (string host, int port, string endpointName) = RpcAddress.ParseEndpointUri(address);
        string serviceAddress = RpcAddress.Format(host, port);
        return serviceAddress == Address
            ? GetGateway<TGateway>(endpointName)
            : (TGateway)descriptor.CreateProxy(new RemoteRpcTarget(_transport, new RpcEndpointReference("", serviceAddress, endpointName)));
    }

    /// <summary>The transport's view of this service: its endpoints, identity and runtime, and whether it is stopping.</summary>
    private sealed class ServiceTransport(RpcService service) : TransportHost(service.Runtime)
    {
        public override bool IsDisposed => Volatile.Read(ref service._disposed) != 0;

        public override bool IsStopping => service.IsStopping;

        public override RpcEndpoint? FindEndpoint(string name) => service._endpoints.GetValueOrDefault(name);

        public override bool HasStopped(string name) => service._stoppedEndpoints.ContainsKey(name);

        public override string HasNoEndpoint(string name) => service.HasNoEndpoint(name);

        public override string? DescribeLookupProblem(string endpointName, string gatewayName, out RpcGatewayDescriptor? gateway)
        {
            gateway = null;
            if (!service._endpoints.TryGetValue(endpointName, out RpcEndpoint? endpoint))
            {
                return HasStopped(endpointName)
                    ? $"endpoint '{endpointName}' of service {NodeId} has been stopped"
                    : $"service {NodeId} {HasNoEndpoint(endpointName)}";
            }

            gateway = endpoint.FindGateway(gatewayName);
            return gateway is null ? endpoint.DoesNotImplement(gatewayName) : null;
        }

        public override IReadOnlyCollection<RpcGatewayDescriptor> ServedGateways() =>
            service._endpoints.Values.SelectMany(endpoint => endpoint.Gateways).Distinct().ToList();

        public override void NotifyRemote(RpcPeer peer, bool connected)
        {
            foreach (RpcEndpoint endpoint in service._endpoints.Values)
            {
                endpoint.NotifyRemote(peer, connected);
            }
        }
    }
}
