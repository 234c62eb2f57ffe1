using System.Buffers;

namespace Toolkit.Rpc.Transport.Protocol;

/// <summary>A <see cref="FrameType.StreamCredit"/>: <c>int64 callId</c> | <c>int32 credit</c>, how many more items the consumer takes.</summary>
internal static class StreamCreditFrame
{
    /// <summary>
    /// The credit every stream starts with, before any credit frame: the producer may send this many items at once,
    /// and the consumer grants the rest of its window once items arrived (so that a credit frame never precedes the
    /// producer's start).
    /// </summary>
    public const int InitialCredit = 256;

    public static void Write(FrameBuffer frame, long callId, int credit)
    {
        frame.WriteInt64(callId);
        frame.WriteInt32(credit);
    }

    /// <summary>The call and the credit; throws <see cref="ProtocolViolationException"/> when the body is malformed or the credit not positive.</summary>
    public static (long CallId, int Credit) Read(in ReadOnlySequence<byte> body)
    {
        SequenceReader<byte> reader = new(body);
        if (!reader.TryReadLittleEndian(out long callId) || !reader.TryReadLittleEndian(out int credit) || reader.Remaining != 0 || credit <= 0)
        {
            throw new ProtocolViolationException("a stream credit frame is malformed");
        }

        return (callId, credit);
    }
}
