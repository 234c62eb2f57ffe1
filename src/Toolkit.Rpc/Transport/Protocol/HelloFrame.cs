using System.Buffers;

namespace Toolkit.Rpc.Transport.Protocol;

/// <summary>
/// What each side says about itself in <see cref="FrameType.Hello"/> (client) and <see cref="FrameType.Welcome"/>
/// (server): <c>string nodeId</c> | <c>string? address</c> | <c>bytes nonce</c> | <c>int32 maxFrameSize</c> |
/// <c>bool hasSecret</c> | <c>bytes proof</c> (empty from the client, and from a server without a secret) | optionally
/// <c>byte features</c> (bit 0: byte streams), sent only by a service that has a feature, so that a service without
/// one says exactly what it said before.
/// </summary>
internal sealed record HelloFrame(string NodeId, string? Address, byte[] Nonce, int MaxFrameSize, bool HasSecret, byte[] Proof)
{
    /// <summary>The feature bit of a service that carries byte streams out of band (<see cref="RpcServiceOptions.ByteStreams"/>).</summary>
    public const byte ByteStreamsFeature = 1;

    /// <summary>The sender's features (<see cref="ByteStreamsFeature"/>); 0 when it has none.</summary>
    public byte Features { get; init; }

    /// <summary>The size of each side's nonce.</summary>
    public const int NonceSize = 16;

    public void Write(FrameBuffer frame)
    {
        RpcWriter writer = new(frame);
        writer.WriteString(NodeId);
        writer.WriteString(Address);
        writer.WriteBytes(Nonce);
        writer.WriteUnmanaged(MaxFrameSize);
        writer.WriteUnmanaged(HasSecret);
        writer.WriteBytes(Proof);
        if (Features != 0)
        {
            writer.WriteUnmanaged(Features);
        }

        writer.Flush();
    }

    /// <summary>Reads a hello; throws <see cref="ProtocolViolationException"/> when a field is out of its bounds.</summary>
    public static HelloFrame Read(in ReadOnlySequence<byte> body)
    {
        RpcReader reader = new(body);
        string nodeId = reader.ReadString() ?? throw new ProtocolViolationException("the hello carries no node id");
        string? address = reader.ReadString();
        byte[] nonce = reader.ReadBytes();
        int maxFrameSize = reader.ReadUnmanaged<int>();
        bool hasSecret = reader.ReadUnmanaged<bool>();
        byte[] proof = reader.ReadBytes();
        byte features = reader.Remaining > 0 ? reader.ReadUnmanaged<byte>() : (byte)0;
        reader.EnsureFullyConsumed();
        if (nonce.Length != NonceSize || maxFrameSize < 1024 || proof.Length is not (0 or 32) || nodeId.Length is 0 or > 256 || address is { Length: > 1024 })
        {
            throw new ProtocolViolationException("the hello is malformed");
        }

        return new HelloFrame(nodeId, address, nonce, maxFrameSize, hasSecret, proof) { Features = features };
    }
}
