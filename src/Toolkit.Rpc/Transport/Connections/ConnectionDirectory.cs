using System.Collections.Concurrent;

namespace Toolkit.Rpc.Transport;

/// <summary>
/// A service's connections: every one from creation to close (so that stopping the service closes them all), and the
/// open ones by the peer's address and by its node id — a client-mode peer (no listener) is reachable only that way,
/// over the connection it opened. One connection per peer: a call to a peer without one opens it.
/// </summary>
internal sealed class ConnectionDirectory(TransportHost host)
{
    private readonly ConcurrentDictionary<string, RpcConnection> _byPeer = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<RpcConnection, byte> _live = new();
    private readonly Lock _connectLock = new();

    // 1 once the transport watchdog checks these connections (from the first until the service stops).
    private int _watched;

    /// <summary>The connection to the service hosting <paramref name="reference"/>'s endpoint; opens one when there is none.</summary>
    public RpcConnection Get(RpcEndpointReference reference)
    {
        if (reference.Address is { } address)
        {
            return Get(address);
        }

        if (_byPeer.TryGetValue(NodeKey(reference.NodeId), out RpcConnection? connection) && !connection.IsClosed)
        {
            return connection;
        }

        throw new RpcConnectionException(
            $"client-mode service {reference.NodeId}",
            $"client-mode service {reference.NodeId} is not connected to this service: a service without a listener can only be called " +
            "over the connection it opened, and it has none open now.");
    }

    /// <summary>The connection to the service at <paramref name="address"/> (<c>host:port</c>); opens one when there is none.</summary>
    public RpcConnection Get(string address)
    {
        if (_byPeer.TryGetValue(address, out RpcConnection? connection) && !connection.IsClosed)
        {
            return connection;
        }

        lock (_connectLock)
        {
            if (host.IsDisposed)
            {
                throw new RpcConnectionException(RpcAddress.Scheme + address, $"service {host.NodeId} is stopped and opens no connections.");
            }

            if (_byPeer.TryGetValue(address, out connection) && !connection.IsClosed)
            {
                return connection;
            }

            (string hostName, int port) = RpcAddress.ParseHostPort(address);
            connection = RpcConnection.Connect(host, hostName, port);
            _byPeer[address] = connection;
            return connection;
        }
    }

    /// <summary>A connection was created (outbound or accepted); it lives until it closes. False when the service is stopped.</summary>
    public bool Track(RpcConnection connection)
    {
        if (host.IsDisposed || !_live.TryAdd(connection, 0))
        {
            return false;
        }

        if (Interlocked.Exchange(ref _watched, 1) == 0)
        {
            TransportWatchdog.Watch(host);
        }

        return true;
    }

    /// <summary>A connection finished its handshake: it becomes findable by the peer's address and node id.</summary>
    public void Register(RpcConnection connection)
    {
        RpcPeer peer = connection.Peer!;
        _byPeer.TryAdd(NodeKey(peer.NodeId), connection);
        if (peer.Address is { } address)
        {
            _byPeer.TryAdd(address, connection);
        }
    }

    /// <summary>A connection closed: it is findable no more.</summary>
    public void Unregister(RpcConnection connection)
    {
        _live.TryRemove(connection, out _);
        foreach (KeyValuePair<string, RpcConnection> entry in _byPeer)
        {
            if (ReferenceEquals(entry.Value, connection))
            {
                _byPeer.TryRemove(entry);
            }
        }
    }

    /// <summary>Every connection from creation to close, for the service's gauges; enumerating takes no lock.</summary>
    public IEnumerable<RpcConnection> Live
    {
        get
        {
            foreach ((RpcConnection connection, _) in _live)
            {
                yield return connection;
            }
        }
    }

    /// <summary>Called by <see cref="TransportWatchdog"/>: looks for code that holds a connection's reader or sends too long.</summary>
    public void CheckStalls(long now, long stallTicks)
    {
        // Enumerating the dictionary itself takes no lock (its Keys would take them all): a spinning reader may call this.
        foreach ((RpcConnection connection, _) in _live)
        {
            connection.CheckStalls(now, stallTicks);
        }
    }

    /// <summary>Closes every connection as a network failure would (the service's stop; tests cut connections with it).</summary>
    public void CloseAll(string reason)
    {
        lock (_connectLock)
        {
            foreach (RpcConnection connection in _live.Keys.ToList())
            {
                connection.Close(new IOException(reason));
            }
        }
    }

    /// <summary>Stops the watchdog's checks of these connections.</summary>
    public void StopWatching() => TransportWatchdog.Forget(host);

    private static string NodeKey(string nodeId) => "node:" + nodeId;
}
