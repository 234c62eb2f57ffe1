using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;

namespace Toolkit.Rpc.Infrastructure;

public ref partial struct RpcReader
{
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
}
