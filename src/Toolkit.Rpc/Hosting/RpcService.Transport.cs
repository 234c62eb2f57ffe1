using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Toolkit.Rpc.Gateways;
using Toolkit.Rpc.Serialization;
using Toolkit.Rpc.Transport;

namespace Toolkit.Rpc;

public sealed partial class RpcService
{
    // Open and opening connections by the peer's address, and by "node:<id>" for every peer once its handshake is
    // done: a client-mode peer (no listener) is reachable only that way, over the connection it opened.
    private readonly ConcurrentDictionary<string, RpcConnection> _connections = new(StringComparer.Ordinal);
    private readonly Lock _connectLock = new();

    // Every connection from creation to close, registered or not, so that stopping the service closes them all.
    private readonly ConcurrentDictionary<RpcConnection, byte> _liveConnections = new();

    // Names of endpoints that stopped (and were not started again), so that a remote caller hears "stopped"
    // rather than "no such endpoint".
    private readonly ConcurrentDictionary<string, byte> _stoppedEndpoints = new(StringComparer.Ordinal);
    private RpcListener? _listener;

    // 1 once the transport watchdog checks this service's connections (from its first connection until it stops).
    private int _watched;

    internal ILogger TransportLogger { get; }

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

        RpcConnection connection = GetConnection(serviceAddress);
        await connection.Ready.WaitAsync(cancellation).ConfigureAwait(false);
        RemoteRpcTarget target = new(this, new RpcEndpointReference(connection.Peer!.NodeId, serviceAddress, endpointName));
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
            : (TGateway)descriptor.CreateProxy(new RemoteRpcTarget(this, new RpcEndpointReference("", serviceAddress, endpointName)));
    }

    /// <summary>The connection to the service hosting <paramref name="reference"/>'s endpoint; opens one when there is none.</summary>
    internal RpcConnection GetConnection(RpcEndpointReference reference)
    {
        if (reference.Address is { } address)
        {
            return GetConnection(address);
        }

        if (_connections.TryGetValue(NodeKey(reference.NodeId), out RpcConnection? connection) && !connection.IsClosed)
        {
            return connection;
        }

        throw new RpcConnectionException(
            $"client-mode service {reference.NodeId}",
            $"client-mode service {reference.NodeId} is not connected to this service: a service without a listener can only be called " +
            "over the connection it opened, and it has none open now.");
    }

    internal RpcEndpoint? FindEndpoint(string name) => _endpoints.GetValueOrDefault(name);

    /// <summary>The gateways this service's endpoints implement, as the handshake announces them.</summary>
    internal IReadOnlyCollection<RpcGatewayDescriptor> ServedGateways() =>
        _endpoints.Values.SelectMany(endpoint => endpoint.Gateways).Distinct().ToList();

    internal bool HasStopped(string name) => _stoppedEndpoints.ContainsKey(name);

    /// <summary>
    /// Why a lookup for <paramref name="gatewayName"/> on <paramref name="endpointName"/> fails, or null when the
    /// endpoint exists and implements it (<paramref name="gateway"/>); the connection then checks the contracts.
    /// </summary>
    internal string? DescribeLookupProblem(string endpointName, string gatewayName, out RpcGatewayDescriptor? gateway)
    {
        gateway = null;
        if (!_endpoints.TryGetValue(endpointName, out RpcEndpoint? endpoint))
        {
            return HasStopped(endpointName)
                ? $"endpoint '{endpointName}' of service {NodeId} has been stopped"
                : $"service {NodeId} {HasNoEndpoint(endpointName)}";
        }

        gateway = endpoint.FindGateway(gatewayName);
        return gateway is null ? endpoint.DoesNotImplement(gatewayName) : null;
    }

    /// <summary>A connection finished its handshake: it becomes findable by the peer's address and node id.</summary>
    internal void Register(RpcConnection connection)
    {
        RpcPeer peer = connection.Peer!;
        _connections.TryAdd(NodeKey(peer.NodeId), connection);
        if (peer.Address is { } address)
        {
            _connections.TryAdd(address, connection);
        }
    }

    /// <summary>A connection was created (outbound or accepted); it lives until it closes.</summary>
    internal bool Track(RpcConnection connection)
    {
        if (Volatile.Read(ref _disposed) != 0 || !_liveConnections.TryAdd(connection, 0))
        {
            return false;
        }

        if (Interlocked.Exchange(ref _watched, 1) == 0)
        {
            TransportWatchdog.Watch(this);
        }

        return true;
    }

    /// <summary>Called by <see cref="TransportWatchdog"/>: looks for code that holds a connection's reader or sends too long.</summary>
    internal void CheckConnections(long now, long stallTicks)
    {
        // Enumerating the dictionary itself takes no lock (its Keys would take them all): a spinning reader may call this.
        foreach ((RpcConnection connection, _) in _liveConnections)
        {
            connection.CheckStalls(now, stallTicks);
        }
    }

    internal void Unregister(RpcConnection connection)
    {
        _liveConnections.TryRemove(connection, out _);
        foreach (KeyValuePair<string, RpcConnection> entry in _connections)
        {
            if (ReferenceEquals(entry.Value, connection))
            {
                _connections.TryRemove(entry);
            }
        }
    }

    internal void NotifyRemoteConnected(RpcPeer peer) => NotifyEndpoints(peer, connected: true);

    internal void NotifyRemoteDisconnected(RpcPeer peer) => NotifyEndpoints(peer, connected: false);

    private static string NodeKey(string nodeId) => "node:" + nodeId;

    private RpcConnection GetConnection(string address)
    {
        if (_connections.TryGetValue(address, out RpcConnection? connection) && !connection.IsClosed)
        {
            return connection;
        }

        lock (_connectLock)
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                throw new RpcConnectionException(RpcAddress.Scheme + address, $"service {NodeId} is stopped and opens no connections.");
            }

            if (_connections.TryGetValue(address, out connection) && !connection.IsClosed)
            {
                return connection;
            }

            (string host, int port) = RpcAddress.ParseHostPort(address);
            connection = RpcConnection.Connect(this, host, port);
            _connections[address] = connection;
            return connection;
        }
    }

    private void NotifyEndpoints(RpcPeer peer, bool connected)
    {
        foreach (RpcEndpoint endpoint in _endpoints.Values)
        {
            endpoint.NotifyRemote(peer, connected);
        }
    }

    /// <summary>Closes every connection as a network failure would (tests use it to cut connections).</summary>
    internal void CloseConnections(string reason)
    {
        lock (_connectLock)
        {
            foreach (RpcConnection connection in _liveConnections.Keys.ToList())
            {
                connection.Close(new IOException(reason));
            }
        }
    }
}
