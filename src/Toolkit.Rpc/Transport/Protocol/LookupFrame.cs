using System.Buffers;

namespace Toolkit.Rpc.Transport.Protocol;

/// <summary>
/// A <see cref="FrameType.Lookup"/>: <c>int64 callId</c> | <c>string endpoint</c> | <c>string gateway</c> — does the
/// endpoint exist, implement the gateway, and do the contracts agree? Answered by a reply with no payload, or an error.
/// </summary>
internal readonly record struct LookupFrame(long CallId, string EndpointName, string GatewayName)
{
    public static void Write(FrameBuffer frame, long callId, string endpointName, string gatewayName)
    {
        frame.WriteInt64(callId);
        RpcWriter writer = new(frame);
        writer.WriteString(endpointName);
        writer.WriteString(gatewayName);
        writer.Flush();
    }

    /// <summary>Reads a lookup's body; throws <see cref="ProtocolViolationException"/> or <see cref="RpcSerializationException"/> when it is malformed.</summary>
    public static LookupFrame Read(in ReadOnlySequence<byte> body)
    {
        SequenceReader<byte> header = new(body);
        if (!header.TryReadLittleEndian(out long callId))
        {
            throw new ProtocolViolationException("a lookup frame is truncated");
        }

        RpcReader reader = new(body.Slice(header.Position));
        string endpointName = reader.ReadString() ?? "";
        string gatewayName = reader.ReadString() ?? "";
        reader.EnsureFullyConsumed();
        return new LookupFrame(callId, endpointName, gatewayName);
    }
}
