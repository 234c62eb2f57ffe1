using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Toolkit.Rpc.Transport.Protocol;

/// <summary>
/// Where one outgoing frame is assembled before it is queued on a connection: a per-thread scratch buffer, so that
/// encoding needs no allocation and no lock, and an oversized message is refused before it is queued — as soon as
/// it passes the limit, not after the whole of it was encoded.
/// </summary>
internal sealed class FrameBuffer : IBufferWriter<byte>
{
    private const int InitialSize = 4096;
    private const int KeptSize = 1024 * 1024;

    // Writers may ask for more room than they then fill (a short string reserves three bytes a char), so the buffer
    // stops growing only this far past the limit; whether the frame fits is decided on its exact length afterwards.
    private const int LimitSlack = 64 * 1024;

    [ThreadStatic]
#pragma warning disable IDE1006 // thread-static: t_
    private static FrameBuffer? t_cached;
#pragma warning restore IDE1006

    private byte[] _buffer = new byte[InitialSize];
    private int _length;
    private long _growthLimit = long.MaxValue;

    /// <summary>The frame's size, header included.</summary>
    public int Length => _length;

    /// <summary>Takes this thread's buffer (or a new one when it is in use, e.g. by an encode that sends again).</summary>
    /// <param name="type">The frame's type.</param>
    /// <param name="limit">
    /// The frame limit: encoding that grows the frame well past it stops with <see cref="FrameTooLargeException"/>.
    /// </param>
    public static FrameBuffer Rent(FrameType type, int limit = int.MaxValue)
    {
        FrameBuffer buffer = t_cached ?? new FrameBuffer();
        t_cached = null;
        buffer._length = Frames.HeaderSize;
        buffer._buffer[4] = (byte)type;
        buffer._growthLimit = (long)limit + LimitSlack;
        return buffer;
    }

    /// <summary>Gives the buffer back to this thread; a buffer grown for a huge frame is dropped.</summary>
    public void Return()
    {
        if (_buffer.Length <= KeptSize)
        {
            t_cached = this;
        }
    }

    /// <summary>Writes the length prefix; call once the body is complete. Returns the whole frame, header included.</summary>
    public ReadOnlySpan<byte> Complete()
    {
        BinaryPrimitives.WriteInt32LittleEndian(_buffer, _length - 4);
        return _buffer.AsSpan(0, _length);
    }

    public void WriteByte(byte value)
    {
        Reserve(1)[0] = value;
        _length += 1;
    }

    public void WriteInt32(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(Reserve(4), value);
        _length += 4;
    }

    public void WriteInt64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(Reserve(8), value);
        _length += 8;
    }

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        value.CopyTo(Reserve(value.Length));
        _length += value.Length;
    }

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count > _buffer.Length - _length)
        {
            throw new InvalidOperationException("Advanced past the buffer handed out.");
        }

        _length += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        // Reserve first: it may replace _buffer.
        int size = ReserveSize(sizeHint);
        return _buffer.AsMemory(_length, size);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        int size = ReserveSize(sizeHint);
        return _buffer.AsSpan(_length, size);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<byte> Reserve(int size)
    {
        if (_buffer.Length - _length < size)
        {
            Grow(size);
        }

        return _buffer.AsSpan(_length, size);
    }

    private int ReserveSize(int sizeHint)
    {
        int size = Math.Max(sizeHint, 1);
        if (_buffer.Length - _length < size)
        {
            Grow(size);
        }

        return _buffer.Length - _length;
    }

    private void Grow(int size)
    {
        if ((long)_length + size > _growthLimit)
        {
            throw new FrameTooLargeException(_length, (int)(_growthLimit - LimitSlack));
        }

        long wanted = Math.Min(Math.Max((long)_buffer.Length * 2, (long)_length + size), _growthLimit);
        if (wanted > Array.MaxLength)
        {
            if ((long)_length + size > Array.MaxLength)
            {
                throw new InsufficientMemoryException($"A frame cannot exceed {Array.MaxLength:N0} bytes.");
            }

            wanted = Array.MaxLength;
        }

        Array.Resize(ref _buffer, (int)wanted);
    }
}
