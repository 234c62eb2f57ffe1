using System.Buffers;

namespace Toolkit.Rpc.Transport.Protocol;

/// <summary>
/// A <see cref="FrameType.Proof"/> (client → server, with the client's proof of the secret) or a
/// <see cref="FrameType.Ready"/> (server → client, with an empty proof): <c>bytes proof</c> | <c>int32 count</c> |
/// count × the contracts (<see cref="ContractFrame"/>) of the gateways the sender serves.
/// </summary>
internal static class ProofFrame
{
    private const int MaxGateways = 100_000;

    public static void Write(FrameBuffer frame, byte[] proof, IReadOnlyCollection<RpcGatewayDescriptor> gateways)
    {
        RpcWriter writer = new(frame);
        writer.WriteBytes(proof);
        writer.WriteCollectionHeader(gateways.Count);
        foreach (RpcGatewayDescriptor gateway in gateways)
        {
            ContractFrame.Write(ref writer, gateway);
        }

        writer.Flush();
    }

    public static (byte[] Proof, List<ContractFrame> Gateways) Read(in ReadOnlySequence<byte> body)
    {
        RpcReader reader = new(body);
        byte[] proof = reader.ReadBytes();
        if (!reader.TryReadCollectionHeader(out int count, 8) || count > MaxGateways)
        {
            throw new ProtocolViolationException("the gateway list is malformed");
        }

        List<ContractFrame> gateways = new(count);
        for (int i = 0; i < count; i++)
        {
            gateways.Add(ContractFrame.Read(ref reader));
        }

        reader.EnsureFullyConsumed();
        return (proof, gateways);
    }
}
