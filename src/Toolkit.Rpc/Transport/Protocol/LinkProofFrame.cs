using System.Buffers;

namespace Toolkit.Rpc.Transport.Protocol;

/// <summary>
/// The <see cref="FrameType.Proof"/> of a byte-stream link: <c>bytes proof</c> | <c>bytes key</c>, the key naming the
/// call connection the link belongs to (that connection's server nonce).
/// </summary>
internal static class LinkProofFrame
{
    public static void Write(FrameBuffer frame, byte[] proof, byte[] key)
    {
        RpcWriter writer = new(frame);
        writer.WriteBytes(proof);
        writer.WriteBytes(key);
        writer.Flush();
    }

    public static (byte[] Proof, byte[] Key) Read(in ReadOnlySequence<byte> body)
    {
        RpcReader reader = new(body);
        byte[] proof = reader.ReadBytes();
        byte[] key = reader.ReadBytes();
        reader.EnsureFullyConsumed();
        if (proof.Length is not (0 or 32) || key.Length != HelloFrame.NonceSize)
        {
            throw new ProtocolViolationException("the byte-stream link's proof is malformed");
        }

        return (proof, key);
    }
}
