using System.Buffers;

namespace Toolkit.Rpc.Transport.Protocol;

/// <summary>
/// A <see cref="FrameType.StreamItems"/>: <c>int64 callId</c> | items, each encoded as the method's item type, back to
/// back to the end of the frame (a batch holds at least one item).
/// </summary>
internal static class StreamItemsFrame
{
    /// <summary>The fixed field: the call id.</summary>
    public const int FixedSize = 8;

    /// <summary>Writes the call id; the caller encodes the items after it.</summary>
    public static void WriteHeader(FrameBuffer frame, long callId) => frame.WriteInt64(callId);

    /// <summary>The call the items belong to, and the items as they lie in the body; throws when the body holds no item.</summary>
    public static long Read(in ReadOnlySequence<byte> body, out ReadOnlySequence<byte> items)
    {
        SequenceReader<byte> reader = new(body);
        if (!reader.TryReadLittleEndian(out long callId) || reader.Remaining == 0)
        {
            throw new ProtocolViolationException("a stream items frame is truncated or holds no item");
        }

        items = body.Slice(reader.Position);
        return callId;
    }
}
