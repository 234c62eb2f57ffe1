using System.Buffers;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Toolkit.Rpc.Infrastructure;

/// <summary>
/// Reads values in Toolkit's wire layout. Every length is checked against the bytes that remain, so hostile
/// input ends in an <see cref="RpcSerializationException"/>, never in a huge allocation or an invalid value.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public ref partial struct RpcReader
{
    /// <summary>How deep objects may nest unless <see cref="RpcSerializationContext.MaxDepth"/> says otherwise.</summary>
    public const int DefaultMaxDepth = RpcWriter.DefaultMaxDepth;

    private ref byte _cursor;
    private int _remaining;
    private int _depth;

    // As RpcWriter's: one comparison a level up to the default depth, a stack check a level beyond it.
    private readonly int _checkedDepth;

    /// <summary>Creates a reader over contiguous bytes.</summary>
    public RpcReader(ReadOnlySpan<byte> data, RpcSerializationContext? context = null)
    {
        _cursor = ref MemoryMarshal.GetReference(data);
        _remaining = data.Length;
        Context = context;
        MaxDepth = context?.MaxDepth ?? DefaultMaxDepth;
        _checkedDepth = Math.Min(MaxDepth, DefaultMaxDepth);
    }

    /// <summary>Creates a reader over a sequence; a sequence of several segments is copied once into one array.</summary>
    public RpcReader(in ReadOnlySequence<byte> data, RpcSerializationContext? context = null)
        : this(data.IsSingleSegment ? data.FirstSpan : data.ToArray(), context)
    {
    }

    /// <summary>The context that gateway references are resolved with, if any.</summary>
    public RpcSerializationContext? Context { get; }

    /// <summary>How deep objects may nest: the context's <see cref="RpcSerializationContext.MaxDepth"/>, or <see cref="DefaultMaxDepth"/>.</summary>
    public int MaxDepth { get; }

    /// <summary>Bytes not read yet.</summary>
    public readonly int Remaining => _remaining;

    /// <summary>Reads an unmanaged value from its raw bytes, rejecting values that no valid instance has.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T ReadUnmanaged<T>()
        where T : unmanaged
    {
        T value = Unsafe.ReadUnaligned<T>(ref Take(Unsafe.SizeOf<T>()));
        RawValidation.Validate(value);
        return value;
    }

    /// <summary>Reads a nullable unmanaged value in <see cref="Nullable{T}"/>'s memory layout.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T? ReadNullable<T>()
        where T : unmanaged
    {
        int size = Unsafe.SizeOf<T?>();
        if (_remaining < size)
        {
            ThrowHelper.ThrowEndOfData(size, _remaining);
        }

        byte hasValue = _cursor;
        T? result = null;
        if (hasValue == 1)
        {
            T value = Unsafe.ReadUnaligned<T>(ref Unsafe.Add(ref _cursor, size - Unsafe.SizeOf<T>()));
            RawValidation.Validate(value);
            result = value;
        }
        else if (hasValue != 0)
        {
            ThrowHelper.ThrowBadHasValue(hasValue);
        }

        Advance(size);
        return result;
    }

    /// <summary>Reads a <see cref="DateTimeOffset"/> written by <see cref="RpcWriter.WriteDateTimeOffset"/>; the padding is not checked.</summary>
    public DateTimeOffset ReadDateTimeOffset()
    {
        ReadUnmanaged(out int offsetMinutes, out int _, out long utcTicks);
        return ToDateTimeOffset(offsetMinutes, utcTicks);
    }

    /// <summary>
    /// Makes a <see cref="DateTimeOffset"/> from its wire parts (offset in minutes, UTC ticks), rejecting values out of
    /// range; generated code reads the parts together with neighbouring raw members.
    /// </summary>
    public static DateTimeOffset ToDateTimeOffset(int offsetMinutes, long utcTicks)
    {
        const int MaxOffsetMinutes = 14 * 60;
        long ticks = utcTicks + ((long)offsetMinutes * TimeSpan.TicksPerMinute);
        if (offsetMinutes is < -MaxOffsetMinutes or > MaxOffsetMinutes || (ulong)utcTicks > (ulong)DateTime.MaxValue.Ticks
            || (ulong)ticks > (ulong)DateTime.MaxValue.Ticks)
        {
            ThrowHelper.ThrowMalformed($"a DateTimeOffset has {utcTicks} UTC ticks and an offset of {offsetMinutes} minutes, out of range");
        }

        return new DateTimeOffset(ticks, TimeSpan.FromMinutes(offsetMinutes));
    }

    /// <summary>Reads a nullable <see cref="DateTimeOffset"/> written by <see cref="RpcWriter.WriteNullableDateTimeOffset"/>.</summary>
    public DateTimeOffset? ReadNullableDateTimeOffset()
    {
        // The has-value byte is the low byte of the first long; the other seven are padding, as are the value's bytes of a null.
        ReadUnmanaged(out long hasValue, out int offsetMinutes, out int _, out long utcTicks);
        return (byte)hasValue switch
        {
            0 => null,
            1 => ToDateTimeOffset(offsetMinutes, utcTicks),
            _ => ThrowHelper.ThrowBadHasValue((byte)hasValue),
        };
    }

    /// <summary>Reads an object header; returns false for null, otherwise the member count that follows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadObjectHeader(out byte memberCount)
    {
        memberCount = ReadUnmanaged<byte>();
        if (memberCount <= RpcWriter.MaxSmallTag)
        {
            return true;
        }

        if (memberCount != RpcWriter.NullObject)
        {
            ThrowHelper.ThrowMalformed($"object header {memberCount} is neither a member count (0–249) nor null (255)");
        }

        return false;
    }

    /// <summary>Reads a union header; returns false for null, otherwise the tag that follows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadUnionHeader(out ushort tag)
    {
        byte first = ReadUnmanaged<byte>();
        if (first <= RpcWriter.MaxSmallTag)
        {
            tag = first;
            return true;
        }

        if (first == RpcWriter.WideUnionTag)
        {
            tag = ReadUnmanaged<ushort>();
            return true;
        }

        if (first != RpcWriter.NullObject)
        {
            ThrowHelper.ThrowMalformed($"union header {first} is neither a tag (0–250) nor null (255)");
        }

        tag = 0;
        return false;
    }

    /// <summary>
    /// Reads a collection length; returns false for null. The length is checked against the remaining bytes,
    /// given that each element takes at least <paramref name="minimumElementSize"/> bytes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadCollectionHeader(out int length, int minimumElementSize = 1)
    {
        length = ReadUnmanaged<int>();
        if (length == -1)
        {
            return false;
        }

        if (length < 0 || (long)length * minimumElementSize > _remaining)
        {
            ThrowHelper.ThrowBadLength(length, minimumElementSize, _remaining);
        }

        return true;
    }

    /// <summary>Marks the start of a nested object; throws when the data nests deeper than <see cref="MaxDepth"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void EnterObject()
    {
        if (++_depth > _checkedDepth)
        {
            ThrowHelper.CheckDeepLevel(_depth, MaxDepth, writing: false);
        }
    }

    /// <summary>Marks the end of a nested object.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ExitObject() => _depth--;

    /// <summary>
    /// Skips the members that follow the <paramref name="known"/> ones of a <paramref name="type"/> whose data has
    /// <paramref name="count"/>: a newer peer appended them. The peer's contract, exchanged when the gateway was
    /// first used on the connection, says what they are; without it the data cannot be read.
    /// </summary>
    /// <param name="type">The type's name as contracts write it (full name, no <c>global::</c>).</param>
    /// <param name="known">The members this version of the type has, already read.</param>
    /// <param name="count">The members the data has.</param>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void SkipMembers(string type, int known, int count)
    {
        if (Context?.PeerSchema is not { } schema)
        {
            ThrowHelper.ThrowTooManyMembers(type, count, known);
            return;
        }

        schema.SkipMembers(ref this, type, known, count);
    }

    /// <summary>Moves past <paramref name="count"/> bytes, or throws when fewer remain.</summary>
    internal void Skip(int count)
    {
        if ((uint)count > (uint)_remaining)
        {
            ThrowHelper.ThrowEndOfData(count, _remaining);
        }

        Advance(count);
    }

    /// <summary>Throws unless every byte was consumed: trailing bytes mean the data was written for another shape.</summary>
    public readonly void EnsureFullyConsumed()
    {
        if (_remaining != 0)
        {
            ThrowHelper.ThrowMalformed($"{_remaining} bytes remain after the value was read");
        }
    }

    // Returns the next size bytes and moves past them, or throws when fewer remain.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref byte Take(int size)
    {
        if (_remaining < size)
        {
            ThrowHelper.ThrowEndOfData(size, _remaining);
        }

        ref byte start = ref _cursor;
        Advance(size);
        return ref start;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Advance(int count)
    {
        _cursor = ref Unsafe.Add(ref _cursor, count);
        _remaining -= count;
    }
}
