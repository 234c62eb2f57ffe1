using System.Buffers;
using System.Collections.Concurrent;
using Toolkit.Rpc.Transport.Protocol;

namespace Toolkit.Rpc.Transport;

/// <summary>
/// One connection's view of the peer's contracts. Before the first frame that uses a gateway, each side sends its
/// contract for it (<see cref="FrameType.Contract"/>), once per connection; the receiver compares it with its own and
/// answers with its own, so that both sides know, before they decode a call or a reply on the gateway, whether the
/// two versions are compatible — whichever way the gateway reached the connection: served, started later, or passed
/// inside a message. It is also the context the connection reads with: it resolves gateways inside messages through
/// the service and holds the peer's types, by which readers skip members that a newer peer appended.
/// </summary>
internal sealed class PeerContracts(RpcConnection connection) : RpcSerializationContext
{
    private readonly Lock _lock = new();

    // The gateways whose contract this side has queued on the connection. Guarded by _lock.
    private readonly HashSet<RpcGatewayDescriptor> _announced = [];

    // What comparing the peer's contract with this process's gave, by gateway id: null when compatible, else why not.
    private readonly ConcurrentDictionary<int, string?> _problems = new();

    // The types of every compatible but different peer contract; replaced, never changed, so readers need no lock.
    private WireSchema? _peerSchema;

    internal override WireSchema? PeerSchema => Volatile.Read(ref _peerSchema);

    internal override ByteStreamScope? ByteStreams => connection.ByteStreams;

    /// <inheritdoc />
    public override TGateway ResolveGateway<TGateway>(RpcEndpointReference reference) => connection.Host.SerializationContext.ResolveGateway<TGateway>(reference);

    /// <summary>
    /// Queues this process's contract for <paramref name="gateway"/> unless it was queued already. Call before queuing
    /// a frame that uses the gateway: the contract then reaches the peer first.
    /// </summary>
    public void Announce(RpcGatewayDescriptor gateway)
    {
        lock (_lock)
        {
            if (_announced.Contains(gateway))
            {
                return;
            }

            // Queued inside the lock: a caller that finds the gateway announced queues its frame after this one.
            FrameBuffer frame = FrameBuffer.Rent(FrameType.Contract);
            try
            {
                ContractFrame.Write(frame, gateway);
                connection.Enqueue(frame.Complete(), force: true);
            }
            finally
            {
                frame.Return();
            }

            _announced.Add(gateway);
        }
    }

    /// <summary>The read loop hands over a <see cref="FrameType.Contract"/> frame: compares it, and answers with this side's contract.</summary>
    public void Receive(in ReadOnlySequence<byte> body)
    {
        ContractFrame remote = ContractFrame.Read(body);
        RpcPeer peer = connection.Peer!;
        string peerSide = Handshake.Side(peer.NodeId, peer.Address);
        if (Handshake.Check(remote, Handshake.Side(connection.Host.NodeId, connection.Host.Address), peerSide) is not { } check)
        {
            // A gateway this process does not know: calls on it find no handler and fail saying so.
            return;
        }

        RpcGatewayDescriptor mine = RpcGatewayRegistry.Find(remote.Name)!;
        if (!check.IsCompatible)
        {
            TransportLog.ContractIncompatible(connection.Host.TransportLogger, peerSide, remote.Name, check.Problem!);
        }
        else if (!ReferenceEquals(check, ContractCheck.Identical))
        {
            WireSchema theirs = WireSchema.Parse(remote.Contract);
            lock (_lock)
            {
                Volatile.Write(ref _peerSchema, _peerSchema?.Merge(theirs) ?? theirs);
            }

            TransportLog.ContractCompatible(connection.Host.TransportLogger, peerSide, remote.Name, string.Join("; ", check.Differences));
        }

        _problems[mine.Id] = check.Problem;
        Announce(mine);
    }

    /// <summary>
    /// Null when calls on <paramref name="gateway"/> from the peer may be decoded; otherwise why not: the contracts
    /// are incompatible, or the peer sent none before using the gateway.
    /// </summary>
    public string? Problem(RpcGatewayDescriptor gateway) =>
        _problems.TryGetValue(gateway.Id, out string? problem)
            ? problem
            : $"{connection.DisplayAddress} used gateway {gateway.Name} without sending its contract for it first";
}
