using System.Buffers;

namespace Toolkit.Rpc.Transport.Protocol;

/// <summary>
/// What a <see cref="FrameType.ExtendedRequest"/> carries before the request itself:
/// <c>byte count</c> | count × (<c>byte tag</c> | <c>uint16 length</c> | <c>length bytes</c>). A receiver skips tags it
/// does not know, so that a later extension needs no new frame type. An ordinary call sends a plain
/// <see cref="FrameType.Request"/>: it pays for no extension it does not use.
/// </summary>
internal readonly record struct RequestExtensions
{
    /// <summary>Tag of the caller's view of the leader epoch: <c>int64</c>.</summary>
    public const byte EpochTag = 1;

    /// <summary>No extension: a plain request.</summary>
    public static RequestExtensions None => new() { Epoch = FencingToken.None };

    /// <summary>The caller's view of the target's leader epoch, or <see cref="FencingToken.None"/>.</summary>
    public long Epoch { get; init; }

    /// <summary>Whether there is nothing to send, so that the request goes as a plain <see cref="FrameType.Request"/>.</summary>
    public bool IsEmpty => Epoch == FencingToken.None;

    /// <summary>The frame type a request with these extensions goes in.</summary>
    public FrameType FrameType => IsEmpty ? FrameType.Request : FrameType.ExtendedRequest;

    /// <summary>Writes the extension block of a <see cref="FrameType.ExtendedRequest"/>.</summary>
    public void Write(FrameBuffer frame)
    {
        frame.WriteByte(1);
        frame.WriteByte(EpochTag);
        WriteLength(frame, sizeof(long));
        frame.WriteInt64(Epoch);
    }

    /// <summary>Reads the extension block; throws <see cref="ProtocolViolationException"/> when it is truncated or malformed.</summary>
    public static RequestExtensions Read(ref SequenceReader<byte> reader)
    {
        long epoch = FencingToken.None;
        if (!reader.TryRead(out byte count))
        {
            throw Malformed("it has no extension count");
        }

        for (int i = 0; i < count; i++)
        {
            if (!reader.TryRead(out byte tag) || !reader.TryReadLittleEndian(out short rawLength) || reader.Remaining < (ushort)rawLength)
            {
                throw Malformed($"extension {i + 1} of {count} is truncated");
            }

            int length = (ushort)rawLength;
            switch (tag)
            {
                case EpochTag when length == sizeof(long):
                    reader.TryReadLittleEndian(out epoch);
                    if (epoch == FencingToken.None)
                    {
                        throw Malformed($"its epoch is {epoch}, the value that means none");
                    }

                    break;
                case EpochTag:
                    throw Malformed($"its epoch is {length} bytes long, not {sizeof(long)}");
                default:
                    reader.Advance(length); // a later version's extension: not ours to read
                    break;
            }
        }

        return new RequestExtensions { Epoch = epoch };
    }

    private static void WriteLength(FrameBuffer frame, int length)
    {
        Span<byte> bytes = frame.GetSpan(2);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(bytes, checked((ushort)length));
        frame.Advance(2);
    }

    private static ProtocolViolationException Malformed(string problem) => new($"an extended request frame is malformed: {problem}");
}
