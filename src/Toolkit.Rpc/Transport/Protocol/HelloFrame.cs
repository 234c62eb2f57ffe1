using System.Buffers;

namespace Toolkit.Rpc.Transport.Protocol;

/// <summary>
/// What each side says about itself in <see cref="FrameType.Hello"/> (client) and <see cref="FrameType.Welcome"/>
/// (server): <c>string nodeId</c> | <c>string? address</c> | <c>bytes nonce</c> | <c>int32 maxFrameSize</c> |
/// <c>bool hasSecret</c> | <c>bytes proof</c> (empty from the client, and from a server without a secret).
/// </summary>
internal sealed record HelloFrame(string NodeId, string? Address, byte[] Nonce, int MaxFrameSize, bool HasSecret, byte[] Proof)
{
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
        reader.EnsureFullyConsumed();
        if (nonce.Length != NonceSize || maxFrameSize < 1024 || proof.Length is not (0 or 32) || nodeId.Length is 0 or > 256 || address is { Length: > 1024 })
        {
            throw new ProtocolViolationException("the hello is malformed");
        }

        return new HelloFrame(nodeId, address, nonce, maxFrameSize, hasSecret, proof);
    }
}
