using System.Buffers;
using Toolkit.Rpc.Serialization;

namespace Toolkit.Rpc.Transport;

/// <summary>A <see cref="FrameType.Request"/>'s fixed fields, and where its endpoint name and arguments lie in the body.</summary>
internal readonly record struct RequestHeader(
    long CallId, int GatewayId, int MethodId, int TimeoutMilliseconds, ReadOnlySequence<byte> EndpointName, ReadOnlySequence<byte> Arguments);

/// <summary>A <see cref="FrameType.Reply"/>'s call id and status, and its payload: the result or the error.</summary>
internal readonly record struct ReplyHeader(long CallId, ReplyStatus Status, ReadOnlySequence<byte> Payload);

/// <summary>A <see cref="FrameType.Lookup"/>: does the endpoint exist, implement the gateway, and do the contracts agree?</summary>
internal readonly record struct LookupRequest(long CallId, string EndpointName, string GatewayName);

/// <summary>
/// The bodies of the frames that follow the handshake, read as the connection's read loop reads them. Each throws
/// <see cref="ProtocolViolationException"/> (or, for a malformed string, <see cref="RpcSerializationException"/>) when
/// the body is not what its frame type says.
/// </summary>
internal static partial class Frames
{
    public static RequestHeader ReadRequest(in ReadOnlySequence<byte> body)
    {
        SequenceReader<byte> reader = new(body);
        if (!reader.TryReadLittleEndian(out long callId)
            || !reader.TryReadLittleEndian(out int gatewayId)
            || !reader.TryReadLittleEndian(out int methodId)
            || !reader.TryReadLittleEndian(out int timeoutMilliseconds)
            || !reader.TryRead(out byte nameLength)
            || reader.Remaining < nameLength
            || timeoutMilliseconds < -1)
        {
            throw new ProtocolViolationException("a request frame is truncated or malformed");
        }

        ReadOnlySequence<byte> name = body.Slice(reader.Position, nameLength);
        return new RequestHeader(callId, gatewayId, methodId, timeoutMilliseconds, name, body.Slice(name.End));
    }

    public static ReplyHeader ReadReply(in ReadOnlySequence<byte> body)
    {
        SequenceReader<byte> reader = new(body);
        if (!reader.TryReadLittleEndian(out long callId) || !reader.TryRead(out byte status))
        {
            throw new ProtocolViolationException("a reply frame is truncated");
        }

        return new ReplyHeader(callId, (ReplyStatus)status, body.Slice(reader.Position));
    }

    /// <summary>The id of the call a <see cref="FrameType.Cancel"/> cancels.</summary>
    public static long ReadCancel(in ReadOnlySequence<byte> body)
    {
        SequenceReader<byte> reader = new(body);
        if (!reader.TryReadLittleEndian(out long callId) || reader.Remaining != 0)
        {
            throw new ProtocolViolationException("a cancel frame is malformed");
        }

        return callId;
    }

    public static LookupRequest ReadLookup(in ReadOnlySequence<byte> body)
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
        return new LookupRequest(callId, endpointName, gatewayName);
    }
}
