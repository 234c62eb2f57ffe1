using System.Buffers;

namespace Toolkit.Rpc.Transport.Protocol;

/// <summary>
/// A <see cref="FrameType.Reply"/>: <c>int64 callId</c> | <c>byte status</c> (<see cref="ReplyStatus"/>) | the result,
/// or the error that the status says.
/// </summary>
/// <param name="CallId">The call answered.</param>
/// <param name="Status">The outcome.</param>
/// <param name="Payload">What follows the status, as it lies in the body.</param>
internal readonly record struct ReplyFrame(long CallId, ReplyStatus Status, ReadOnlySequence<byte> Payload)
{
    /// <summary>The frame's size before its payload: the frame header, call id and status.</summary>
    public const int HeaderSize = Frames.HeaderSize + 8 + 1;

    /// <summary>Rents a frame and writes the fields before the payload, which the caller writes after them.</summary>
    /// <param name="callId">The call answered.</param>
    /// <param name="status">The outcome.</param>
    /// <param name="limit">The frame limit, past which encoding the payload stops (<see cref="FrameTooLargeException"/>).</param>
    public static FrameBuffer Begin(long callId, ReplyStatus status, int limit = int.MaxValue)
    {
        FrameBuffer frame = FrameBuffer.Rent(FrameType.Reply, limit);
        frame.WriteInt64(callId);
        frame.WriteByte((byte)status);
        return frame;
    }

    /// <summary>Reads a reply's body; throws <see cref="ProtocolViolationException"/> when it is truncated.</summary>
    public static ReplyFrame Read(in ReadOnlySequence<byte> body)
    {
        SequenceReader<byte> reader = new(body);
        if (!reader.TryReadLittleEndian(out long callId) || !reader.TryRead(out byte status))
        {
            throw new ProtocolViolationException("a reply frame is truncated");
        }

        return new ReplyFrame(callId, (ReplyStatus)status, body.Slice(reader.Position));
    }
}
