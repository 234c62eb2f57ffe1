using System.Buffers;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;

namespace Toolkit.Rpc.Infrastructure;

/// <summary>
/// Writes values in Toolkit's wire layout (MemoryPack's documented layout) to an <see cref="IBufferWriter{T}"/>.
/// Generated serializers drive it; call <see cref="Flush"/> once at the end to commit what was written.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public ref partial struct RpcWriter
{
    /// <summary>The member-count byte that marks a null object or union.</summary>
    public const byte NullObject = 255;

    /// <summary>The largest member count or one-byte union tag; larger tags take a <see cref="WideUnionTag"/> byte and a ushort.</summary>
    public const byte MaxSmallTag = 249;

    /// <summary>The byte that announces a two-byte union tag.</summary>
    public const byte WideUnionTag = 250;

    /// <summary>
    /// How deep objects may nest unless <see cref="RpcSerializationContext.MaxDepth"/> says otherwise; deeper graphs are
    /// almost always cycles.
    /// </summary>
    public const int DefaultMaxDepth = 256;

    private const int MinimumBufferSize = 256;

    // Strings up to this many chars reserve their worst-case UTF-8 size (3 bytes a char) up front and skip a
    // counting pass; longer ones are counted first so that a huge string does not ask for three times its size.
    private const int ReserveWorstCaseBelowChars = 16 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly IBufferWriter<byte> _output;

    // The span from the output and how much of it is written. Hot paths only move the int: assigning a ref field
    // on every write measured several times slower.
    private Span<byte> _buffer;
    private int _buffered;
    private int _depth;

    // Depths up to _checkedDepth cost one comparison; beyond it (when MaxDepth is above the default) each level also
    // checks that the thread's stack can take it, so that no limit can turn deep data into a stack overflow.
    private readonly int _checkedDepth;

    /// <summary>Creates a writer over <paramref name="output"/>.</summary>
    /// <param name="output">Where the bytes go; advanced by <see cref="Flush"/>.</param>
    /// <param name="context">Resolves gateways written inside messages; null when no service is involved.</param>
    public RpcWriter(IBufferWriter<byte> output, RpcSerializationContext? context = null)
    {
        _output = output ?? throw new ArgumentNullException(nameof(output));
        Context = context;
        MaxDepth = context?.MaxDepth ?? DefaultMaxDepth;
        _checkedDepth = Math.Min(MaxDepth, DefaultMaxDepth);
    }

    /// <summary>
    /// Creates a writer over <paramref name="output"/> and takes a span of at least <paramref name="sizeHint"/>
    /// bytes at once, so that a value of up to that size is written without asking the output again.
    /// </summary>
    public RpcWriter(IBufferWriter<byte> output, int sizeHint, RpcSerializationContext? context = null)
        : this(output, context)
    {
        _buffer = output.GetSpan(sizeHint);
    }

    /// <summary>The context that gateway references are written with, if any.</summary>
    public RpcSerializationContext? Context { get; }

    /// <summary>How deep objects may nest: the context's <see cref="RpcSerializationContext.MaxDepth"/>, or <see cref="DefaultMaxDepth"/>.</summary>
    public int MaxDepth { get; }

    /// <summary>Bytes written since the last <see cref="Flush"/>.</summary>
    public readonly int Buffered => _buffered;

    /// <summary>Commits the buffered bytes to the output. The writer may be used again afterwards.</summary>
    public void Flush()
    {
        if (_buffered > 0)
        {
            _output.Advance(_buffered);
        }

        _buffered = 0;
        _buffer = default;
    }

    /// <summary>Writes the raw bytes of an unmanaged value (little-endian, as in memory).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteUnmanaged<T>(T value)
        where T : unmanaged
    {
        int size = Unsafe.SizeOf<T>();
        Unsafe.WriteUnaligned(ref Reserve(size), value);
        Advance(size);
    }

    /// <summary>
    /// Writes a nullable unmanaged value in <see cref="Nullable{T}"/>'s memory layout: a has-value byte, zero
    /// padding up to the value's alignment, then the value (all zero when null), as MemoryPack writes it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteNullable<T>(T? value)
        where T : unmanaged
    {
        int size = Unsafe.SizeOf<T?>();
        ref byte destination = ref Reserve(size);
        // Padding is written as zeros explicitly: raw Nullable<T> memory may hold garbage there, and the
        // encoding must be deterministic.
        Unsafe.InitBlockUnaligned(ref destination, 0, (uint)size);
        if (value.HasValue)
        {
            destination = 1;
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, size - Unsafe.SizeOf<T>()), value.GetValueOrDefault());
        }

        Advance(size);
    }

    /// <summary>
    /// Writes a <see cref="DateTimeOffset"/> in its 16-byte memory layout, as MemoryPack copies it: the offset in minutes
    /// (<c>int</c>), four zero bytes of padding, then the UTC ticks (<c>long</c>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteDateTimeOffset(DateTimeOffset value) => WriteUnmanaged(value.TotalOffsetMinutes, 0, value.UtcTicks);

    /// <summary>
    /// Writes a nullable <see cref="DateTimeOffset"/> in <see cref="Nullable{T}"/>'s 24-byte memory layout: a has-value
    /// byte, seven zero bytes, then the value as <see cref="WriteDateTimeOffset"/> writes it (all zero when null).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteNullableDateTimeOffset(DateTimeOffset? value)
    {
        // The has-value byte and its padding as one little-endian long; a null's default value has zero offset and ticks.
        DateTimeOffset present = value.GetValueOrDefault();
        WriteUnmanaged(value.HasValue ? 1L : 0L, present.TotalOffsetMinutes, 0, present.UtcTicks);
    }

    /// <summary>Writes an object header: the number of members that follow (0–249).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteObjectHeader(byte memberCount)
    {
        Reserve(1) = memberCount;
        Advance(1);
    }

    /// <summary>Writes the null marker for an object or union.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteNullObject()
    {
        Reserve(1) = NullObject;
        Advance(1);
    }

    /// <summary>Writes a union tag: one byte up to 249, otherwise 250 followed by a ushort.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteUnionHeader(ushort tag)
    {
        if (tag <= MaxSmallTag)
        {
            Reserve(1) = (byte)tag;
            Advance(1);
        }
        else
        {
            WriteUnmanaged(WideUnionTag, tag);
        }
    }

    /// <summary>Writes a collection length (−1 for null).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteCollectionHeader(int length) => WriteUnmanaged(length);

    /// <summary>Writes a null collection.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteNullCollection() => WriteUnmanaged(-1);

    /// <summary>Writes a string in the UTF-8 form (or the UTF-16 form when it holds unpaired surrogates).</summary>
    public void WriteString(string? value)
    {
        if (value is null)
        {
            WriteUnmanaged(-1);
            return;
        }

        if (value.Length == 0)
        {
            WriteUnmanaged(0);
            return;
        }

        int maxBytes = value.Length <= ReserveWorstCaseBelowChars ? value.Length * 3 : Utf8ByteCountOrMinusOne(value);
        if (maxBytes < 0)
        {
            WriteUtf16String(value);
            return;
        }

        ref byte destination = ref Reserve(maxBytes + 8);
        Span<byte> payload = MemoryMarshal.CreateSpan(ref Unsafe.Add(ref destination, 8), maxBytes);
        OperationStatus status = Utf8.FromUtf16(value, payload, out _, out int written, replaceInvalidSequences: false);
        if (status != OperationStatus.Done)
        {
            // Unpaired surrogates have no UTF-8 form; the UTF-16 form keeps the string exactly.
            WriteUtf16String(value);
            return;
        }

        Unsafe.WriteUnaligned(ref destination, ~written);
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, 4), value.Length);
        Advance(written + 8);
    }

    /// <summary>Writes an array of plain unmanaged values as a length and one block copy.</summary>
    public void WriteUnmanagedArray<T>(T[]? value)
        where T : unmanaged
    {
        if (value is null)
        {
            WriteUnmanaged(-1);
            return;
        }

        WriteUnmanagedSpan<T>(value);
    }

    /// <summary>Writes a span of plain unmanaged values as a length and one block copy.</summary>
    public void WriteUnmanagedSpan<T>(ReadOnlySpan<T> value)
        where T : unmanaged
    {
        ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(value);
        WriteUnmanaged(value.Length);
        WriteRaw(bytes);
    }

    /// <summary>Writes bytes as a length and the bytes (the layout of <c>byte[]</c> and <c>ReadOnlyMemory&lt;byte&gt;</c>).</summary>
    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        WriteUnmanaged(value.Length);
        WriteRaw(value);
    }

    /// <summary>Writes raw bytes without a length.</summary>
    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length <= _buffer.Length - _buffered)
        {
            bytes.CopyTo(_buffer[_buffered..]);
            Advance(bytes.Length);
            return;
        }

        WriteRawSlow(bytes);
    }

    /// <summary>Marks the start of a nested object; throws when the graph is deeper than <see cref="MaxDepth"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void EnterObject()
    {
        if (++_depth > _checkedDepth)
        {
            ThrowHelper.CheckDeepLevel(_depth, MaxDepth, writing: true);
        }
    }

    /// <summary>Marks the end of a nested object.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ExitObject() => _depth--;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref byte Reserve(int size)
    {
        if (_buffer.Length - _buffered < size)
        {
            Grow(size);
        }

        return ref Unsafe.Add(ref MemoryMarshal.GetReference(_buffer), _buffered);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Advance(int count) => _buffered += count;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int size) => Grow(size, size);

    // Commits what is buffered and takes a new span: asks the output for `wanted` bytes (at least
    // MinimumBufferSize) and fails only when it hands out fewer than `needed`.
    private void Grow(int needed, int wanted)
    {
        Flush();
        Span<byte> span = _output.GetSpan(Math.Max(wanted, MinimumBufferSize));
        if (span.Length < needed)
        {
            ThrowHelper.ThrowBufferTooSmall(needed, span.Length);
        }

        _buffer = span;
    }

    private void WriteRawSlow(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            if (_buffer.Length == _buffered)
            {
                // Ask for all that is left (the output may give less; any span is copied into): one copy when it
                // can hold the whole block.
                Grow(1, Math.Min(bytes.Length, 1 << 20));
            }

            int chunk = Math.Min(_buffer.Length - _buffered, bytes.Length);
            bytes[..chunk].CopyTo(_buffer[_buffered..]);
            Advance(chunk);
            bytes = bytes[chunk..];
        }
    }

    private void WriteUtf16String(string value)
    {
        WriteUnmanaged(value.Length);
        WriteRaw(MemoryMarshal.AsBytes(value.AsSpan()));
    }

    private static int Utf8ByteCountOrMinusOne(string value)
    {
        try
        {
            return StrictUtf8.GetByteCount(value);
        }
        catch (EncoderFallbackException)
        {
            return -1;
        }
    }
}
