using System.Buffers;
using System.Diagnostics;
using System.Text;

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

    /// <summary>
    /// Tag of the W3C trace context of the caller's recorded span: <c>byte version</c> (0) | 16-byte trace id |
    /// 8-byte parent span id | <c>byte</c> trace flags | <c>tracestate</c> in UTF-8 (the rest, maybe empty).
    /// </summary>
    public const byte TraceContextTag = 2;

    // The trace context's fixed part, and the longest tracestate sent (W3C: 32 entries, 512 characters in practice).
    private const int TraceContextFixedSize = 1 + 16 + 8 + 1;
    private const int MaxTraceStateBytes = 512;

    /// <summary>No extension: a plain request.</summary>
    public static RequestExtensions None => new() { Epoch = FencingToken.None };

    /// <summary>The caller's view of the target's leader epoch, or <see cref="FencingToken.None"/>.</summary>
    public long Epoch { get; init; }

    /// <summary>The caller's span, as read from a request that carried one (<see cref="TraceContextTag"/>); default otherwise.</summary>
    public ActivityContext TraceParent { get; init; }

    /// <summary>Whether the target's own extensions are none, so that an untraced request goes as a plain <see cref="FrameType.Request"/>.</summary>
    public bool IsEmpty => Epoch == FencingToken.None;

    /// <summary>The frame type a request with these extensions goes in.</summary>
    public FrameType FrameType => IsEmpty ? FrameType.Request : FrameType.ExtendedRequest;

    /// <summary>The frame type of a request with these extensions and, when <paramref name="trace"/> is set, its trace context.</summary>
    public FrameType FrameTypeWith(Activity? trace) => IsEmpty && trace is null ? FrameType.Request : FrameType.ExtendedRequest;

    /// <summary>
    /// Writes the extension block of a <see cref="FrameType.ExtendedRequest"/>: the epoch when there is one, and the
    /// trace context of <paramref name="trace"/>, the caller's recorded span, when there is one.
    /// </summary>
    public void Write(FrameBuffer frame, Activity? trace = null)
    {
        frame.WriteByte((byte)((IsEmpty ? 0 : 1) + (trace is null ? 0 : 1)));
        if (!IsEmpty)
        {
            frame.WriteByte(EpochTag);
            WriteLength(frame, sizeof(long));
            frame.WriteInt64(Epoch);
        }

        if (trace is not null)
        {
            WriteTraceContext(frame, trace);
        }
    }

    private static void WriteTraceContext(FrameBuffer frame, Activity trace)
    {
        string? state = trace.TraceStateString;
        int stateBytes = state is null ? 0 : Encoding.UTF8.GetByteCount(state);
        if (stateBytes > MaxTraceStateBytes)
        {
            state = null; // not worth a frame's room: W3C lets a hop drop what it cannot carry
            stateBytes = 0;
        }

        frame.WriteByte(TraceContextTag);
        WriteLength(frame, TraceContextFixedSize + stateBytes);
        Span<byte> fixedPart = frame.GetSpan(TraceContextFixedSize);
        fixedPart[0] = 0;
        trace.TraceId.CopyTo(fixedPart.Slice(1, 16));
        trace.SpanId.CopyTo(fixedPart.Slice(17, 8));
        fixedPart[25] = (byte)trace.ActivityTraceFlags;
        frame.Advance(TraceContextFixedSize);
        if (state is not null)
        {
            frame.Advance(Encoding.UTF8.GetBytes(state, frame.GetSpan(stateBytes)));
        }
    }

    private static ActivityContext ReadTraceContext(ref SequenceReader<byte> reader, int length)
    {
        Span<byte> fixedPart = stackalloc byte[TraceContextFixedSize];
        if (length < TraceContextFixedSize || !reader.TryCopyTo(fixedPart))
        {
            throw Malformed($"its trace context is {length} bytes long, less than {TraceContextFixedSize}");
        }

        reader.Advance(TraceContextFixedSize);
        int stateLength = length - TraceContextFixedSize;
        if (fixedPart[0] != 0)
        {
            reader.Advance(stateLength); // a later version of the trace context: start a new trace rather than misread it
            return default;
        }

        string? state = null;
        if (stateLength > 0)
        {
            state = Encoding.UTF8.GetString(reader.UnreadSequence.Slice(0, stateLength));
            reader.Advance(stateLength);
        }

        ActivityTraceId traceId = ActivityTraceId.CreateFromBytes(fixedPart.Slice(1, 16));
        ActivitySpanId spanId = ActivitySpanId.CreateFromBytes(fixedPart.Slice(17, 8));
        return traceId == default || spanId == default
            ? default // W3C: all-zero ids are invalid
            : new ActivityContext(traceId, spanId, (ActivityTraceFlags)(fixedPart[25] & 1), state, isRemote: true);
    }

    /// <summary>Reads the extension block; throws <see cref="ProtocolViolationException"/> when it is truncated or malformed.</summary>
    public static RequestExtensions Read(ref SequenceReader<byte> reader)
    {
        long epoch = FencingToken.None;
        ActivityContext traceParent = default;
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
                case TraceContextTag:
                    traceParent = ReadTraceContext(ref reader, length);
                    break;
                default:
                    reader.Advance(length); // a later version's extension: not ours to read
                    break;
            }
        }

        return new RequestExtensions { Epoch = epoch, TraceParent = traceParent };
    }

    private static void WriteLength(FrameBuffer frame, int length)
    {
        Span<byte> bytes = frame.GetSpan(2);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(bytes, checked((ushort)length));
        frame.Advance(2);
    }

    private static ProtocolViolationException Malformed(string problem) => new($"an extended request frame is malformed: {problem}");
}
