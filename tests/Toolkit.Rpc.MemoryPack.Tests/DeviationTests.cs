using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MemoryPack;
using Toolkit.Rpc.Tests.Serialization;

namespace Toolkit.Rpc.MemoryPack.Tests;

/// <summary>
/// Where Toolkit's bytes differ from MemoryPack's on purpose (docs/wire-format.md lists why), exactly how they differ.
/// </summary>
public sealed class DeviationTests
{
    private const int ValuesPerCase = 500;

    [Fact]
    public void A_struct_without_references_is_an_object_for_Toolkit_and_its_memory_image_for_MemoryPack()
    {
        ShapeValues values = new(new Random(1));
        for (int i = 0; i < ValuesPerCase; i++)
        {
            Point point = new(values.Int32(), values.Int32());
            byte[] toolkit = RpcSerializer.Serialize(point);
            byte[] memoryPack = MemoryPackSerializer.Serialize(point);

            // Toolkit: the member count, then the members. MemoryPack: the struct's memory, here the same members.
            Assert.Equal(2, toolkit[0]);
            Compatibility.AssertSameBytes(memoryPack, toolkit[1..], $"point #{i} without Toolkit's member count");
            Assert.Throws<RpcSerializationException>(() => RpcSerializer.Deserialize<Point>(memoryPack));
        }
    }

    [Fact]
    public void A_struct_with_padding_is_its_members_for_Toolkit_and_its_memory_with_the_padding_for_MemoryPack()
    {
        Padded probe = default;
        int offsetOfB = (int)Unsafe.ByteOffset(ref probe.A, ref Unsafe.As<long, byte>(ref probe.B));
        Assert.Equal(8, offsetOfB);
        Assert.Equal(16, Unsafe.SizeOf<Padded>());

        ShapeValues values = new(new Random(2));
        for (int i = 0; i < ValuesPerCase; i++)
        {
            Padded padded = new() { A = (byte)values.Int32(), B = values.Int64() };
            byte[] toolkit = RpcSerializer.Serialize(padded);
            byte[] memoryPack = MemoryPackSerializer.Serialize(padded);

            Assert.Equal(2, toolkit[0]);
            byte[] withoutPadding = [memoryPack[0], .. memoryPack[offsetOfB..]];
            Compatibility.AssertSameBytes(withoutPadding, toolkit[1..], $"padded #{i}, MemoryPack's without its 7 bytes of padding");
            Assert.Throws<RpcSerializationException>(() => RpcSerializer.Deserialize<Padded>(memoryPack));
        }
    }

    [Fact]
    public void A_nullable_struct_without_references_is_a_nullable_object_for_Toolkit_and_a_nullable_memory_image_for_MemoryPack()
    {
        Coordinates coordinates = new(new Point(1, 2), default, new Point(-3, 4), null);
        byte[] toolkit = RpcSerializer.Serialize(coordinates);
        byte[] memoryPack = MemoryPackSerializer.Serialize(coordinates);

        // Toolkit: 1 (one member), then the point as an object. MemoryPack: Nullable<Point>'s 12 bytes.
        byte[] toolkitMaybe = [1, 2, .. Int32(-3), .. Int32(4)];
        byte[] memoryPackMaybe = [1, 0, 0, 0, .. Int32(-3), .. Int32(4)];
        Assert.Equal(toolkitMaybe, toolkit[(1 + 9 + 10)..^4]);
        Assert.Equal(memoryPackMaybe, memoryPack[(1 + 8 + 16)..^4]);
    }

    [Fact]
    public void Padding_in_raw_values_is_zero_from_Toolkit_and_whatever_memory_held_from_MemoryPack_and_each_reads_the_other()
    {
        ShapeValues values = new(new Random(3));
        for (int i = 0; i < ValuesPerCase; i++)
        {
            Gauges gauges = new() { Count = values.Int32(), At = values.DateTimeOffset(), Seen = values.DateTimeOffset(), Total = null };
            byte[] clean = RpcSerializer.Serialize(gauges);
            Compatibility.AssertSameBytes(MemoryPackSerializer.Serialize(gauges), clean, $"gauges #{i} before its padding is written into");

            // Garbage where no field is: after int?'s has-value byte, in DateTimeOffset between its offset and its
            // ticks, after DateTimeOffset?'s has-value byte, and in all of a null long? but its has-value byte.
            byte garbage = (byte)(0x80 | i);
            Fill(ref Unsafe.As<int?, byte>(ref gauges.Count), 1, 3, garbage);
            Fill(ref Unsafe.As<DateTimeOffset, byte>(ref gauges.At), 4, 4, garbage);
            Fill(ref Unsafe.As<DateTimeOffset?, byte>(ref gauges.Seen), 1, 7, garbage);
            Fill(ref Unsafe.As<DateTimeOffset?, byte>(ref gauges.Seen), 8 + 4, 4, garbage);
            Fill(ref Unsafe.As<long?, byte>(ref gauges.Total), 1, 15, garbage);

            byte[] toolkit = RpcSerializer.Serialize(gauges);
            byte[] memoryPack = MemoryPackSerializer.Serialize(gauges);

            // Wire offsets: member count 1, Count 1–8, At 9–24, Seen 25–48, Total 49–64.
            (int Start, int Length)[] padding = [(2, 3), (13, 4), (26, 7), (37, 4), (50, 15)];
            Assert.Equal(clean, toolkit);
            byte[] expected = [.. clean];
            foreach ((int start, int length) in padding)
            {
                expected.AsSpan(start, length).Fill(garbage);
            }

            Compatibility.AssertSameBytes(memoryPack, expected, $"gauges #{i}: MemoryPack's bytes, garbage exactly in the padding");
            Compatibility.AssertEachReadsTheOther(gauges, toolkit, memoryPack, $"gauges #{i}");
        }
    }

    [Fact]
    public void Padding_in_a_dictionary_entry_is_read_past_whatever_it_holds()
    {
        Maps maps = new(null, new() { [1] = -1, [2] = long.MaxValue }, null, null, null, null, null, null, null, null, null, null);
        byte[] bytes = RpcSerializer.Serialize(maps);

        // Member count, Labels (-1), then IntToLong: its length, then per entry the key, 4 bytes of padding, the value.
        int firstEntry = 1 + 4 + 4;
        bytes.AsSpan(firstEntry + 4, 4).Fill(0xEE);
        bytes.AsSpan(firstEntry + 16 + 4, 4).Fill(0xEE);

        StructuralEquality.AssertEqual(maps, RpcSerializer.Deserialize<Maps>(bytes));
        StructuralEquality.AssertEqual(maps, MemoryPackSerializer.Deserialize<Maps>(bytes));
    }

    [Fact]
    public void A_string_with_an_unpaired_surrogate_is_written_by_Toolkit_in_the_utf16_form_which_MemoryPack_reads_but_cannot_write()
    {
        Texts texts = new("a\uD800b", "\uDC00", null);
        byte[] toolkit = RpcSerializer.Serialize(texts);

        // The UTF-16 form: the char count, then the chars as they are in memory.
        Assert.Equal([3, .. Int32(3), .. MemoryMarshal.AsBytes("a\uD800b".AsSpan())], toolkit[..11]);
        StructuralEquality.AssertEqual(texts, MemoryPackSerializer.Deserialize<Texts>(toolkit));
        Assert.Throws<MemoryPackSerializationException>(() => MemoryPackSerializer.Serialize(texts));
    }

    private static void Fill(ref byte start, int offset, int length, byte value)
    {
        for (int i = 0; i < length; i++)
        {
            Unsafe.Add(ref start, offset + i) = value;
        }
    }

    private static byte[] Int32(int value)
    {
        byte[] bytes = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        return bytes;
    }
}
