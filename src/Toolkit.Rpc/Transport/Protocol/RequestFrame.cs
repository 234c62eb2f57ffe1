using System.Buffers;

namespace Toolkit.Rpc.Transport.Protocol;

/// <summary>
/// A <see cref="FrameType.Request"/>: <c>int64 callId</c> (0 = one-way) | <c>int32 gateway</c> | <c>int32 method</c> |
/// <c>int32 timeoutMs</c> (−1 = none) | <c>byte nameLength</c> | the endpoint's name in UTF-8 | the arguments.
/// </summary>
/// <param name="CallId">The call's id on the connection; 0 for a one-way call.</param>
/// <param name="GatewayId">The gateway's stable id.</param>
/// <param name="MethodId">The method's stable id.</param>
/// <param name="TimeoutMilliseconds">The caller's timeout, or −1.</param>
/// <param name="EndpointName">The endpoint's name in UTF-8, as it lies in the body.</param>
/// <param name="Arguments">The encoded arguments, as they lie in the body.</param>
internal readonly record struct RequestFrame(
    long CallId, int GatewayId, int MethodId, int TimeoutMilliseconds, ReadOnlySequence<byte> EndpointName, ReadOnlySequence<byte> Arguments)
{
    /// <summary>The fixed fields: call id, gateway, method, timeout, name length.</summary>
    public const int FixedSize = 8 + 4 + 4 + 4 + 1;

    /// <summary>Writes the fields before the arguments, which the caller encodes after them.</summary>
    /// <param name="frame">A frame buffer rented for <see cref="FrameType.Request"/>.</param>
    /// <param name="callId">The call's id, or 0 for a one-way call.</param>
    /// <param name="gatewayId">The gateway's id.</param>
    /// <param name="methodId">The method's id.</param>
    /// <param name="timeoutMilliseconds">The timeout, or −1 for none.</param>
    /// <param name="endpointName">The endpoint's name in UTF-8, at most 255 bytes.</param>
    public static void WriteHeader(FrameBuffer frame, long callId, int gatewayId, int methodId, int timeoutMilliseconds, ReadOnlySpan<byte> endpointName)
    {
        frame.WriteInt64(callId);
        frame.WriteInt32(gatewayId);
        frame.WriteInt32(methodId);
        frame.WriteInt32(timeoutMilliseconds);
        frame.WriteByte((byte)endpointName.Length);
        frame.WriteBytes(endpointName);
    }

    /// <summary>Reads an extended request's body: its extensions, then the request; throws <see cref="ProtocolViolationException"/> when it is malformed.</summary>
    public static RequestFrame ReadExtended(in ReadOnlySequence<byte> body, out RequestExtensions extensions)
    {
        SequenceReader<byte> reader = new(body);
        extensions = RequestExtensions.Read(ref reader);
        return Read(body.Slice(reader.Position));
    }

    /// <summary>Reads a request's body; throws <see cref="ProtocolViolationException"/> when it is truncated or malformed.</summary>
    public static RequestFrame Read(in ReadOnlySequence<byte> body)
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
        return new RequestFrame(callId, gatewayId, methodId, timeoutMilliseconds, name, body.Slice(name.End));
    }
}
