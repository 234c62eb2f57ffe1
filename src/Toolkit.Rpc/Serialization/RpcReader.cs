using System.Buffers;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;

namespace Toolkit.Rpc.Serialization;

/// <summary>
/// Reads values in Toolkit's wire layout. Every length is checked against the bytes that remain, so hostile
/// input ends in an <see cref="RpcSerializationException"/>, never in a huge allocation or an invalid value.
/// </summary>
public ref struct RpcReader
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
        int size = Unsafe.SizeOf<T>();
        if (_remaining < size)
        {
            ThrowHelper.ThrowEndOfData(size, _remaining);
        }

        T value = Unsafe.ReadUnaligned<T>(ref _cursor);
        Advance(size);
        Validate(value);
        return value;
    }

    /// <summary>Reads 2 unmanaged values with one bounds check.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ReadUnmanaged<T1, T2>(out T1 value1, out T2 value2)
        where T1 : unmanaged
        where T2 : unmanaged
    {
        int size = Unsafe.SizeOf<T1>() + Unsafe.SizeOf<T2>();
        ref byte source = ref Take(size);
        int offset = 0;
        value1 = Unsafe.ReadUnaligned<T1>(ref Unsafe.Add(ref source, offset));
        offset += Unsafe.SizeOf<T1>();
        value2 = Unsafe.ReadUnaligned<T2>(ref Unsafe.Add(ref source, offset));
        Validate(value1);
        Validate(value2);
    }
    /// <summary>Reads 3 unmanaged values with one bounds check.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ReadUnmanaged<T1, T2, T3>(out T1 value1, out T2 value2, out T3 value3)
        where T1 : unmanaged
        where T2 : unmanaged
        where T3 : unmanaged
    {
        int size = Unsafe.SizeOf<T1>() + Unsafe.SizeOf<T2>() + Unsafe.SizeOf<T3>();
        ref byte source = ref Take(size);
        int offset = 0;
        value1 = Unsafe.ReadUnaligned<T1>(ref Unsafe.Add(ref source, offset));
        offset += Unsafe.SizeOf<T1>();
        value2 = Unsafe.ReadUnaligned<T2>(ref Unsafe.Add(ref source, offset));
        offset += Unsafe.SizeOf<T2>();
        value3 = Unsafe.ReadUnaligned<T3>(ref Unsafe.Add(ref source, offset));
        Validate(value1);
        Validate(value2);
        Validate(value3);
    }
    /// <summary>Reads 4 unmanaged values with one bounds check.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ReadUnmanaged<T1, T2, T3, T4>(out T1 value1, out T2 value2, out T3 value3, out T4 value4)
        where T1 : unmanaged
        where T2 : unmanaged
        where T3 : unmanaged
        where T4 : unmanaged
    {
        int size = Unsafe.SizeOf<T1>() + Unsafe.SizeOf<T2>() + Unsafe.SizeOf<T3>() + Unsafe.SizeOf<T4>();
        ref byte source = ref Take(size);
        int offset = 0;
        value1 = Unsafe.ReadUnaligned<T1>(ref Unsafe.Add(ref source, offset));
        offset += Unsafe.SizeOf<T1>();
        value2 = Unsafe.ReadUnaligned<T2>(ref Unsafe.Add(ref source, offset));
        offset += Unsafe.SizeOf<T2>();
        value3 = Unsafe.ReadUnaligned<T3>(ref Unsafe.Add(ref source, offset));
        offset += Unsafe.SizeOf<T3>();
        value4 = Unsafe.ReadUnaligned<T4>(ref Unsafe.Add(ref source, offset));
        Validate(value1);
        Validate(value2);
        Validate(value3);
        Validate(value4);
    }
    /// <summary>Reads 5 unmanaged values with one bounds check.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ReadUnmanaged<T1, T2, T3, T4, T5>(out T1 value1, out T2 value2, out T3 value3, out T4 value4, out T5 value5)
        where T1 : unmanaged
        where T2 : unmanaged
        where T3 : unmanaged
        where T4 : unmanaged
        where T5 : unmanaged
    {
        int size = Unsafe.SizeOf<T1>() + Unsafe.SizeOf<T2>() + Unsafe.SizeOf<T3>() + Unsafe.SizeOf<T4>() + Unsafe.SizeOf<T5>();
        ref byte source = ref Take(size);
        int offset = 0;
        value1 = Unsafe.ReadUnaligned<T1>(ref Unsafe.Add(ref source, offset));
        offset += Unsafe.SizeOf<T1>();
        value2 = Unsafe.ReadUnaligned<T2>(ref Unsafe.Add(ref source, offset));
        offset += Unsafe.SizeOf<T2>();
        value3 = Unsafe.ReadUnaligned<T3>(ref Unsafe.Add(ref source, offset));
        offset += Unsafe.SizeOf<T3>();
        value4 = Unsafe.ReadUnaligned<T4>(ref Unsafe.Add(ref source, offset));
        offset += Unsafe.SizeOf<T4>();
        value5 = Unsafe.ReadUnaligned<T5>(ref Unsafe.Add(ref source, offset));
        Validate(value1);
        Validate(value2);
        Validate(value3);
        Validate(value4);
        Validate(value5);
    }
    /// <summary>Reads 6 unmanaged values with one bounds check.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ReadUnmanaged<T1, T2, T3, T4, T5, T6>(out T1 value1, out T2 value2, out T3 value3, out T4 value4, out T5 value5, out T6 value6)
        where T1 : unmanaged
        where T2 : unmanaged
        where T3 : unmanaged
        where T4 : unmanaged
        where T5 : unmanaged
        where T6 : unmanaged
    {
        int size = Unsafe.SizeOf<T1>() + Unsafe.SizeOf<T2>() + Unsafe.SizeOf<T3>() + Unsafe.SizeOf<T4>() + Unsafe.SizeOf<T5>() + Unsafe.SizeOf<T6>();
        ref byte source = ref Take(size);
        int offset = 0;
        value1 = Unsafe.ReadUnaligned<T1>(ref Unsafe.Add(ref source, offset));
        offset += Unsafe.SizeOf<T1>();
        value2 = Unsafe.ReadUnaligned<T2>(ref Unsafe.Add(ref source, offset));
        offset += Unsafe.SizeOf<T2>();
        value3 = Unsafe.ReadUnaligned<T3>(ref Unsafe.Add(ref source, offset));
        offset += Unsafe.SizeOf<T3>();
        value4 = Unsafe.ReadUnaligned<T4>(ref Unsafe.Add(ref source, offset));
        offset += Unsafe.SizeOf<T4>();
        value5 = Unsafe.ReadUnaligned<T5>(ref Unsafe.Add(ref source, offset));
        offset += Unsafe.SizeOf<T5>();
        value6 = Unsafe.ReadUnaligned<T6>(ref Unsafe.Add(ref source, offset));
        Validate(value1);
        Validate(value2);
        Validate(value3);
        Validate(value4);
        Validate(value5);
        Validate(value6);
    }
    /// <summary>Reads 7 unmanaged values with one bounds check.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ReadUnmanaged<T1, T2, T3, T4, T5, T6, T7>(out T1 value1, out T2 value2, out T3 value3, out T4 value4, out T5 value5, out T6 value6, out T7 value7)
        where T1 : unmanaged
        where T2 : unmanaged
        where T3 : unmanaged
        where T4 : unmanaged
        where T5 : unmanaged
        where T6 : unmanaged
        where T7 : unmanaged
    {
        int size = Unsafe.SizeOf<T1>() + Unsafe.SizeOf<T2>() + Unsafe.SizeOf<T3>() + Unsafe.SizeOf<T4>() + Unsafe.SizeOf<T5>() + Unsafe.SizeOf<T6>() + Unsafe.SizeOf<T7>();
        ref byte source = ref Take(size);
        int offset = 0;
        value1 = Unsafe.ReadUnaligned<T1>(ref Unsafe.Add(ref source, offset));
        offset += Unsafe.SizeOf<T1>();
        value2 = Unsafe.ReadUnaligned<T2>(ref Unsafe.Add(ref source, offset));
        offset += Unsafe.SizeOf<T2>();
        value3 = Unsafe.ReadUnaligned<T3>(ref Unsafe.Add(ref source, offset));
        offset += Unsafe.SizeOf<T3>();
        value4 = Unsafe.ReadUnaligned<T4>(ref Unsafe.Add(ref source, offset));
        offset += Unsafe.SizeOf<T4>();
        value5 = Unsafe.ReadUnaligned<T5>(ref Unsafe.Add(ref source, offset));
        offset += Unsafe.SizeOf<T5>();
        value6 = Unsafe.ReadUnaligned<T6>(ref Unsafe.Add(ref source, offset));
        offset += Unsafe.SizeOf<T6>();
        value7 = Unsafe.ReadUnaligned<T7>(ref Unsafe.Add(ref source, offset));
        Validate(value1);
        Validate(value2);
        Validate(value3);
        Validate(value4);
        Validate(value5);
        Validate(value6);
        Validate(value7);
    }
    /// <summary>Reads 8 unmanaged values with one bounds check.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ReadUnmanaged<T1, T2, T3, T4, T5, T6, T7, T8>(out T1 value1, out T2 value2, out T3 value3, out T4 value4, out T5 value5, out T6 value6, out T7 value7, out T8 value8)
        where T1 : unmanaged
        where T2 : unmanaged
        where T3 : unmanaged
        where T4 : unmanaged
        where T5 : unmanaged
        where T6 : unmanaged
        where T7 : unmanaged
        where T8 : unmanaged
    {
        int size = Unsafe.SizeOf<T1>() + Unsafe.SizeOf<T2>() + Unsafe.SizeOf<T3>() + Unsafe.SizeOf<T4>() + Unsafe.SizeOf<T5>() + Unsafe.SizeOf<T6>() + Unsafe.SizeOf<T7>() + Unsafe.SizeOf<T8>();
        ref byte source = ref Take(size);
        int offset = 0;
        value1 = Unsafe.ReadUnaligned<T1>(ref Unsafe.Add(ref source, offset));
        offset += Unsafe.SizeOf<T1>();
        value2 = Unsafe.ReadUnaligned<T2>(ref Unsafe.Add(ref source, offset));
        offset += Unsafe.SizeOf<T2>();
        value3 = Unsafe.ReadUnaligned<T3>(ref Unsafe.Add(ref source, offset));
        offset += Unsafe.SizeOf<T3>();
        value4 = Unsafe.ReadUnaligned<T4>(ref Unsafe.Add(ref source, offset));
        offset += Unsafe.SizeOf<T4>();
        value5 = Unsafe.ReadUnaligned<T5>(ref Unsafe.Add(ref source, offset));
        offset += Unsafe.SizeOf<T5>();
        value6 = Unsafe.ReadUnaligned<T6>(ref Unsafe.Add(ref source, offset));
        offset += Unsafe.SizeOf<T6>();
        value7 = Unsafe.ReadUnaligned<T7>(ref Unsafe.Add(ref source, offset));
        offset += Unsafe.SizeOf<T7>();
        value8 = Unsafe.ReadUnaligned<T8>(ref Unsafe.Add(ref source, offset));
        Validate(value1);
        Validate(value2);
        Validate(value3);
        Validate(value4);
        Validate(value5);
        Validate(value6);
        Validate(value7);
        Validate(value8);
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
            Validate(value);
            result = value;
        }
        else if (hasValue != 0)
        {
            ThrowBadHasValue(hasValue);
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
            _ => ThrowBadHasValue((byte)hasValue),
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

    /// <summary>Reads a string in either the UTF-8 or the UTF-16 form.</summary>
    public string? ReadString()
    {
        int header = ReadUnmanaged<int>();
        if (header == 0)
        {
            return string.Empty;
        }

        if (header == -1)
        {
            return null;
        }

        if (header > 0)
        {
            long utf16Bytes = (long)header * 2;
            if (utf16Bytes > _remaining)
            {
                ThrowHelper.ThrowBadLength(header, 2, _remaining);
            }

            string utf16 = new(MemoryMarshal.Cast<byte, char>(MemoryMarshal.CreateReadOnlySpan(ref _cursor, (int)utf16Bytes)));
            Advance((int)utf16Bytes);
            return utf16;
        }

        int byteCount = ~header;
        int charCount = ReadUnmanaged<int>();
        if (byteCount > _remaining || charCount is 0 or < UnknownCharCount || charCount > byteCount)
        {
            ThrowHelper.ThrowMalformed($"a string claims {byteCount} UTF-8 bytes and {charCount} chars with {_remaining} bytes left");
        }

        if (charCount == UnknownCharCount)
        {
            return ReadUtf8OfUnknownLength(byteCount);
        }

        // One pass that decodes into the string at its declared length and validates: invalid UTF-8 or a length
        // that does not match throws, so no half-filled string escapes.
        string value = string.Create(charCount, MemoryMarshal.CreateReadOnlySpan(ref _cursor, byteCount), static (chars, utf8) =>
        {
            OperationStatus status = Utf8.ToUtf16(utf8, chars, out int read, out int written, replaceInvalidSequences: false);
            if (status != OperationStatus.Done || read != utf8.Length || written != chars.Length)
            {
                ThrowHelper.ThrowMalformed(status == OperationStatus.InvalidData
                    ? "a string is not valid UTF-8"
                    : $"a string declares {chars.Length} chars but its UTF-8 bytes decode to a different length");
            }
        });

        Advance(byteCount);
        return value;
    }

    // MemoryPack's spec lets a writer that holds only UTF-8 bytes say -1 for the UTF-16 length it does not know.
    private const int UnknownCharCount = -1;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private string ReadUtf8OfUnknownLength(int byteCount)
    {
        ReadOnlySpan<byte> utf8 = MemoryMarshal.CreateReadOnlySpan(ref _cursor, byteCount);
        if (!Utf8.IsValid(utf8))
        {
            ThrowHelper.ThrowMalformed("a string is not valid UTF-8");
        }

        string value = Encoding.UTF8.GetString(utf8);
        Advance(byteCount);
        return value;
    }

    /// <summary>Reads an array of plain unmanaged values written by <see cref="RpcWriter.WriteUnmanagedArray{T}"/>.</summary>
    public T[]? ReadUnmanagedArray<T>()
        where T : unmanaged
    {
        if (!TryReadCollectionHeader(out int length, Unsafe.SizeOf<T>()))
        {
            return null;
        }

        if (length == 0)
        {
            return [];
        }

        T[] result = GC.AllocateUninitializedArray<T>(length);
        int byteCount = length * Unsafe.SizeOf<T>();
        MemoryMarshal.CreateReadOnlySpan(ref _cursor, byteCount).CopyTo(MemoryMarshal.AsBytes(result.AsSpan()));
        Advance(byteCount);
        return result;
    }

    /// <summary>Reads a list of plain unmanaged values written as a length and one block.</summary>
    public List<T>? ReadUnmanagedList<T>()
        where T : unmanaged
    {
        if (!TryReadCollectionHeader(out int length, Unsafe.SizeOf<T>()))
        {
            return null;
        }

        List<T> result = new(length);
        CollectionsMarshal.SetCount(result, length);
        int byteCount = length * Unsafe.SizeOf<T>();
        MemoryMarshal.CreateReadOnlySpan(ref _cursor, byteCount).CopyTo(MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(result)));
        Advance(byteCount);
        return result;
    }

    /// <summary>Reads a length-prefixed block of bytes into a new array (the data must outlive the frame it came in).</summary>
    public byte[] ReadBytes()
    {
        if (!TryReadCollectionHeader(out int length))
        {
            ThrowHelper.ThrowMalformed("a byte block has length -1, which only a nullable array may have");
        }

        if (length == 0)
        {
            return [];
        }

        byte[] result = GC.AllocateUninitializedArray<byte>(length);
        MemoryMarshal.CreateReadOnlySpan(ref _cursor, length).CopyTo(result);
        Advance(length);
        return result;
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

    // The typeof checks fold away per instantiation, so plain numbers pay nothing.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Validate<T>(T value)
        where T : unmanaged
    {
        if (typeof(T) == typeof(bool))
        {
            if (Unsafe.As<T, byte>(ref value) > 1)
            {
                ThrowHelper.ThrowMalformed($"a bool has the byte {Unsafe.As<T, byte>(ref value)}; only 0 and 1 are valid");
            }
        }
        else if (typeof(T) == typeof(DateTime))
        {
            ValidateDateTime(Unsafe.As<T, ulong>(ref value));
        }
        else if (typeof(T) == typeof(decimal))
        {
            ValidateDecimal(Unsafe.As<T, decimal>(ref value));
        }
        else if (typeof(T) == typeof(DateOnly))
        {
            // DateOnly is a day number from 0001-01-01.
            if ((uint)Unsafe.As<T, int>(ref value) > (uint)DateOnly.MaxValue.DayNumber)
            {
                ThrowHelper.ThrowMalformed($"a DateOnly has the day number {Unsafe.As<T, int>(ref value)}, out of range");
            }
        }
        else if (typeof(T) == typeof(TimeOnly))
        {
            // TimeOnly is ticks since midnight.
            if ((ulong)Unsafe.As<T, long>(ref value) >= TimeSpan.TicksPerDay)
            {
                ThrowHelper.ThrowMalformed($"a TimeOnly has {Unsafe.As<T, long>(ref value)} ticks, beyond one day");
            }
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static DateTimeOffset? ThrowBadHasValue(byte hasValue) =>
        throw new RpcSerializationException($"Malformed data: a nullable value has the has-value byte {hasValue}; only 0 and 1 are valid.");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ValidateDateTime(ulong data)
    {
        // DateTime stores ticks in the low 62 bits and the kind in the top 2.
        const ulong TicksMask = 0x3FFFFFFFFFFFFFFF;
        ulong ticks = data & TicksMask;
        if (ticks > (ulong)DateTime.MaxValue.Ticks)
        {
            ThrowHelper.ThrowMalformed($"a DateTime has {ticks} ticks, beyond DateTime.MaxValue");
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ValidateDecimal(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        int flags = bits[3];
        // Valid flags: the sign in bit 31, the scale (0–28) in bits 16–23, every other bit zero.
        if ((flags & 0x7F00FFFF) != 0 || ((flags >> 16) & 0xFF) > 28)
        {
            ThrowHelper.ThrowMalformed($"a decimal has the invalid flags 0x{flags:X8}");
        }
    }
}
