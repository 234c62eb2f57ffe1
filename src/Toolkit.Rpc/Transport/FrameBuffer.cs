using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Toolkit.Rpc.Transport;

/// <summary>
/// Where one outgoing frame is assembled before it is queued on a connection: a per-thread scratch buffer, so that
/// encoding needs no allocation and no lock, and an oversized message is refused before it is queued.
/// </summary>
internal sealed class FrameBuffer : IBufferWriter<byte>
{
    private const int InitialSize = 4096;
    private const int KeptSize = 1024 * 1024;

    [ThreadStatic]
    private static FrameBuffer? t_cached;

    private byte[] _buffer = new byte[InitialSize];
    private int _length;

    /// <summary>The frame's size, header included.</summary>
    public int Length => _length;

    /// <summary>Takes this thread's buffer (or a new one when it is in use, e.g. by an encode that sends again).</summary>
    public static FrameBuffer Rent(FrameType type)
    {
        FrameBuffer buffer = t_cached ?? new FrameBuffer();
        t_cached = null;
        buffer._length = Frames.HeaderSize;
        buffer._buffer[4] = (byte)type;
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
        long wanted = Math.Max((long)_buffer.Length * 2, (long)_length + size);
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
