using System.Buffers;

namespace Toolkit.Rpc.Transport.Protocol;

/// <summary>
/// One gateway as a peer knows it, in a <see cref="FrameType.Contract"/> frame and in the handshake's lists:
/// <c>string name</c> | <c>string fingerprint</c> | <c>int32 count</c> | count × <c>string line</c>.
/// </summary>
internal sealed record ContractFrame(string Name, string Fingerprint, string[] Contract)
{
    /// <summary>Writes the body of a <see cref="FrameType.Contract"/> frame: this process's contract for <paramref name="gateway"/>.</summary>
    public static void Write(FrameBuffer frame, RpcGatewayDescriptor gateway)
    {
        RpcWriter writer = new(frame);
        Write(ref writer, gateway);
        writer.Flush();
    }

    /// <summary>Reads the body of a <see cref="FrameType.Contract"/> frame.</summary>
    public static ContractFrame Read(in ReadOnlySequence<byte> body)
    {
        RpcReader reader = new(body);
        ContractFrame contract = Read(ref reader);
        reader.EnsureFullyConsumed();
        return contract;
    }

    /// <summary>Writes one gateway's contract, inside a frame of its own or a list.</summary>
    public static void Write(ref RpcWriter writer, RpcGatewayDescriptor gateway)
    {
        writer.WriteString(gateway.Name);
        writer.WriteString(gateway.Fingerprint);
        writer.WriteCollectionHeader(gateway.Contract.Count);
        foreach (string line in gateway.Contract)
        {
            writer.WriteString(line);
        }
    }

    /// <summary>Reads one gateway's contract written by <see cref="Write(ref RpcWriter, RpcGatewayDescriptor)"/>.</summary>
    public static ContractFrame Read(ref RpcReader reader)
    {
        string name = reader.ReadString() ?? throw new ProtocolViolationException("a gateway has no name");
        string fingerprint = reader.ReadString() ?? throw new ProtocolViolationException("a gateway has no fingerprint");
        if (!reader.TryReadCollectionHeader(out int lineCount, 4))
        {
            throw new ProtocolViolationException("a gateway has no contract");
        }

        string[] lines = new string[lineCount];
        for (int j = 0; j < lineCount; j++)
        {
            lines[j] = reader.ReadString() ?? "";
        }

        return new ContractFrame(name, fingerprint, lines);
    }
}
