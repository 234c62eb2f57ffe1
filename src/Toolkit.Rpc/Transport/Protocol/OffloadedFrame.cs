using System.Buffers;

namespace Toolkit.Rpc.Transport.Protocol;

/// <summary>
/// An <see cref="FrameType.Offloaded"/>: <c>int64 token</c> | <c>int64 length</c> | <c>byte kind</c>, standing for a
/// request (kind 0) or reply (kind 1) frame of <c>length</c> bytes sent on the byte-stream channel <c>token</c>.
/// </summary>
internal readonly record struct OffloadedFrame(long Token, long Length, bool IsReply)
{
    /// <summary>The largest frame that may be offloaded: 1 GiB.</summary>
    public const int MaxLength = 1 << 30;

    public void Write(FrameBuffer frame)
    {
        frame.WriteInt64(Token);
        frame.WriteInt64(Length);
        frame.WriteByte(IsReply ? (byte)1 : (byte)0);
    }

    public static OffloadedFrame Read(in ReadOnlySequence<byte> body)
    {
        SequenceReader<byte> reader = new(body);
        if (!reader.TryReadLittleEndian(out long token) || !reader.TryReadLittleEndian(out long length) || !reader.TryRead(out byte kind)
            || reader.Remaining != 0 || token <= 0 || length < Frames.HeaderSize || length > MaxLength || kind > 1)
        {
            throw new ProtocolViolationException("an offloaded frame is malformed");
        }

        return new OffloadedFrame(token, length, kind == 1);
    }
}
