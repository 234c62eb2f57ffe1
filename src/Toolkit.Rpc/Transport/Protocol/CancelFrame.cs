using System.Buffers;

namespace Toolkit.Rpc.Transport.Protocol;

/// <summary>A <see cref="FrameType.Cancel"/>: <c>int64 callId</c>, the call whose caller gave up.</summary>
internal static class CancelFrame
{
    public static void Write(FrameBuffer frame, long callId) => frame.WriteInt64(callId);

    /// <summary>The id of the call cancelled; throws <see cref="ProtocolViolationException"/> when the body is malformed.</summary>
    public static long Read(in ReadOnlySequence<byte> body)
    {
        SequenceReader<byte> reader = new(body);
        if (!reader.TryReadLittleEndian(out long callId) || reader.Remaining != 0)
        {
            throw new ProtocolViolationException("a cancel frame is malformed");
        }

        return callId;
    }
}
