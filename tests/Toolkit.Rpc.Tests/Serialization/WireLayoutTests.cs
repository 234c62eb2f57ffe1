using System.Buffers.Binary;
using System.Text;

namespace Toolkit.Rpc.Tests.Serialization;

/// <summary>The bytes of MemoryPack's documented layout (DESIGN §4), spelled out by hand.</summary>
public sealed class WireLayoutTests
{
    [Fact]
    public void A_record_of_raw_members_is_the_member_count_then_each_member_little_endian()
    {
        byte[] bytes = RpcSerializer.Serialize(new Ping(1234567890123, 7, true));

        Assert.Equal(new Wire().Byte(3).Int64(1234567890123).Int32(7).Byte(1).ToArray(), bytes);
        Assert.Equal([3, 0xCB, 0x04, 0xFB, 0x71, 0x1F, 0x01, 0x00, 0x00, 7, 0, 0, 0, 1], bytes);
    }

    [Fact]
    public void A_null_object_is_255() => Assert.Equal([255], RpcSerializer.Serialize<Settings?>(null));

    [Fact]
    public void A_null_union_is_255() => Assert.Equal([255], RpcSerializer.Serialize<Shape?>(null));

    [Fact]
    public void A_string_is_the_complement_of_its_utf8_length_then_its_utf16_length_then_the_utf8_bytes() =>
        Assert.Equal(new Wire().Byte(1).Int32(~3).Int32(3).Bytes("abc"u8).ToArray(), RpcSerializer.Serialize(new Text("abc")));

    [Fact]
    public void A_non_ascii_string_counts_utf8_bytes_and_utf16_chars_separately()
    {
        const string Value = "漢😀";
        byte[] utf8 = Encoding.UTF8.GetBytes(Value);

        Assert.Equal(new Wire().Byte(1).Int32(~utf8.Length).Int32(Value.Length).Bytes(utf8).ToArray(), RpcSerializer.Serialize(new Text(Value)));
        Assert.Equal(7, utf8.Length);
    }

    [Fact]
    public void A_null_string_is_minus_one() => Assert.Equal(new Wire().Byte(1).Int32(-1).ToArray(), RpcSerializer.Serialize(new Text(null)));

    [Fact]
    public void An_empty_string_is_zero() => Assert.Equal(new Wire().Byte(1).Int32(0).ToArray(), RpcSerializer.Serialize(new Text("")));

    [Fact]
    public void The_utf16_form_of_a_string_is_read_too()
    {
        byte[] bytes = new Wire().Byte(1).Int32(3).Bytes(MemoryMarshalBytes("x\uDBFFy")).ToArray();
        Assert.Equal("x\uDBFFy", RpcSerializer.Deserialize<Text>(bytes).Value);
    }

    [Fact]
    public void Arrays_are_a_length_then_the_elements_raw_or_one_by_one()
    {
        Arrays value = new([1, 2], [9], null, [true, false], ["a"], [null], [[5]], null, null);

        byte[] expected = new Wire()
            .Byte(9)
            .Int32(2).Int32(1).Int32(2)
            .Int32(1).Byte(9)
            .Int32(-1)
            .Int32(2).Byte(1).Byte(0)
            .Int32(1).Int32(~1).Int32(1).Bytes("a"u8)
            .Int32(1).Byte(255)
            .Int32(1).Int32(1).Int32(5)
            .Int32(-1)
            .Int32(-1)
            .ToArray();
        Assert.Equal(expected, RpcSerializer.Serialize(value));
    }

    [Fact]
    public void A_null_array_is_minus_one_and_an_empty_one_zero()
    {
        Assert.Equal(new Wire().Byte(9).Repeat(w => w.Int32(-1), 9).ToArray(), RpcSerializer.Serialize(new Arrays(null, null, null, null, null, null, null, null, null)));
        Assert.Equal(new Wire().Byte(9).Repeat(w => w.Int32(0), 9).ToArray(), RpcSerializer.Serialize(new Arrays([], [], [], [], [], [], [], [], [])));
    }

    [Fact]
    public void Lists_sets_and_dictionaries_are_a_count_then_the_elements_and_each_entry_key_then_value()
    {
        Collections value = new(
            [long.MaxValue],
            null,
            [new Address("s", null)],
            [4],
            ["h"],
            new Dictionary<string, string> { ["k"] = "v" },
            new Dictionary<int, Address> { [7] = new Address("t", "c") },
            [true]);

        byte[] expected = new Wire()
            .Byte(8)
            .Int32(1).Int64(long.MaxValue)
            .Int32(-1)
            .Int32(1).Byte(2).Int32(~1).Int32(1).Bytes("s"u8).Int32(-1)
            .Int32(1).Int32(4)
            .Int32(1).Int32(~1).Int32(1).Bytes("h"u8)
            .Int32(1).Int32(~1).Int32(1).Bytes("k"u8).Int32(~1).Int32(1).Bytes("v"u8)
            .Int32(1).Int32(7).Byte(2).Int32(~1).Int32(1).Bytes("t"u8).Int32(~1).Int32(1).Bytes("c"u8)
            .Int32(1).Byte(1)
            .ToArray();
        Assert.Equal(expected, RpcSerializer.Serialize(value));
    }

    [Fact]
    public void Nullable_raw_values_take_the_memory_layout_of_nullable()
    {
        Nullables value = SampleValues.EmptyNullables with { Count = 5, Flag = true, Big = -2 };

        byte[] expected = new Wire()
            .Byte(10)
            .Bytes([1, 0, 0, 0, 5, 0, 0, 0])
            .Zeros(16)
            .Zeros(24)
            .Zeros(20)
            .Zeros(16)
            .Zeros(24)
            .Bytes([1, 1])
            .Bytes([0, 0])
            .Byte(1).Zeros(7).Int64(-2)
            .Byte(255)
            .ToArray();
        Assert.Equal(expected, RpcSerializer.Serialize(value));
    }

    [Fact]
    public void A_nullable_guid_and_decimal_pad_the_value_to_its_alignment()
    {
        Guid id = Guid.Parse("00112233-4455-6677-8899-aabbccddeeff");
        Nullables value = SampleValues.EmptyNullables with { Money = 1.5m, Id = id };
        byte[] bytes = RpcSerializer.Serialize(value);

        byte[] money = bytes.AsSpan(1 + 8 + 16, 24).ToArray();
        Assert.Equal(new Wire().Byte(1).Zeros(7).Bytes(DecimalBytes(1.5m)).ToArray(), money);
        byte[] guid = bytes.AsSpan(1 + 8 + 16 + 24, 20).ToArray();
        Assert.Equal(new Wire().Byte(1).Zeros(3).Bytes(id.ToByteArray()).ToArray(), guid);
    }

    [Fact]
    public void A_nullable_struct_with_members_is_255_or_an_object_of_one_member_the_struct()
    {
        byte[] bytes = RpcSerializer.Serialize(SampleValues.EmptyNullables with { Where = new Point(1, -1) });
        Assert.Equal(new Wire().Byte(1).Byte(2).Int32(1).Int32(-1).ToArray(), bytes[^10..]);
        Assert.Equal(255, RpcSerializer.Serialize(SampleValues.EmptyNullables)[^1]);
    }

    [Fact]
    public void A_nullable_datetimeoffset_is_the_has_value_byte_padded_to_8_then_the_value()
    {
        DateTimeOffset offset = new(2020, 5, 17, 1, 2, 3, TimeSpan.FromMinutes(330));
        byte[] bytes = RpcSerializer.Serialize(SampleValues.EmptyNullables with { Offset = offset });

        byte[] expected = new Wire().Byte(1).Zeros(7).Int32(330).Zeros(4).Int64(offset.UtcTicks).ToArray();
        Assert.Equal(expected, bytes.AsSpan(1 + 8 + 16 + 24 + 20 + 16, 24).ToArray());
    }

    [Fact]
    public void Times_are_raw_guid_datetime_bits_datetimeoffset_memory_layout_and_timespan_ticks()
    {
        DateTime at = new(2020, 5, 17, 1, 2, 3, DateTimeKind.Utc);
        DateTimeOffset offset = new(2020, 5, 17, 1, 2, 3, TimeSpan.FromMinutes(-570));
        Times value = new(SampleValues.Times.Id, at, offset, TimeSpan.FromSeconds(1));

        byte[] expected = new Wire()
            .Byte(4)
            .Bytes(value.Id.ToByteArray())
            .Int64(at.ToBinary())
            .Int32(-570).Zeros(4).Int64(offset.UtcTicks)
            .Int64(TimeSpan.TicksPerSecond)
            .ToArray();
        Assert.Equal(expected, RpcSerializer.Serialize(value));
    }

    [Fact]
    public void A_dictionary_of_raw_pairs_lays_each_entry_out_as_its_key_value_pair_in_memory()
    {
        DateTimeOffset seen = new(2021, 2, 3, 4, 5, 6, TimeSpan.FromHours(-3));
        Ledger value = new(new Dictionary<int, long> { [7] = -1 }, new Dictionary<byte, DateTimeOffset?> { [1] = seen, [2] = null });

        byte[] expected = new Wire()
            .Byte(3)
            // KeyValuePair<int, long>: the key, 4 bytes to align the long, the long.
            .Int32(1).Int32(7).Zeros(4).Int64(-1)
            // KeyValuePair<byte, DateTimeOffset?>: the key, 7 bytes to align the nullable, then the nullable's 24 bytes.
            .Int32(2)
            .Byte(1).Zeros(7).Byte(1).Zeros(7).Int32(-180).Zeros(4).Int64(seen.UtcTicks)
            .Byte(2).Zeros(7).Zeros(24)
            .Int32(1)
            .ToArray();
        Assert.Equal(expected, RpcSerializer.Serialize(value));
    }

    [Fact]
    public void A_get_only_computed_property_is_written_and_skipped_when_read()
    {
        byte[] bytes = RpcSerializer.Serialize(new Ledger(new Dictionary<int, long> { [1] = 2, [3] = 4 }, null));
        Assert.Equal(new Wire().Int32(2).ToArray(), bytes[^4..]);

        // The reader reads past the member and the value computes it again from the data it has.
        bytes[^4] = 9;
        Assert.Equal(2, RpcSerializer.Deserialize<Ledger>(bytes).Accounts);
    }

    [Fact]
    public void A_union_is_the_tag_then_the_case_as_an_object()
    {
        Assert.Equal(new Wire().Byte(0).Byte(1).Double(1.5).ToArray(), RpcSerializer.Serialize<Shape>(new Circle(1.5)));
        Assert.Equal(new Wire().Byte(2).Byte(2).Double(3).Double(0.25).ToArray(), RpcSerializer.Serialize<Shape>(new RoundedSquare(3, 0.25)));
    }

    [Fact]
    public void A_union_tag_above_249_is_250_then_a_ushort() =>
        Assert.Equal(new Wire().Byte(250).UInt16(300).Byte(3).Double(3).Double(4).Double(5).ToArray(), RpcSerializer.Serialize<Shape>(new Triangle(3, 4, 5)));

    [Fact]
    public void Read_only_memory_of_bytes_is_a_length_then_the_bytes() =>
        Assert.Equal(new Wire().Byte(1).Int32(3).Bytes([7, 8, 9]).ToArray(), RpcSerializer.Serialize(new Blob(new byte[] { 7, 8, 9 })));

    [Fact]
    public void A_struct_is_an_object_and_a_nested_struct_an_object_inside_it() =>
        Assert.Equal(
            new Wire().Byte(3).Int32(-3).Int32(~1).Int32(1).Bytes("l"u8).Byte(2).Int32(4).Int32(5).ToArray(),
            RpcSerializer.Serialize(new Sample { Count = -3, Label = "l", Origin = new Point(4, 5) }));

    [Fact]
    public void Init_only_properties_go_in_declaration_order() =>
        Assert.Equal(
            new Wire().Byte(3).Int32(~1).Int32(1).Bytes("n"u8).Int32(9).Byte(255).ToArray(),
            RpcSerializer.Serialize(new Profile { Name = "n", Age = 9 }));

    [Fact]
    public void Scalars_are_raw_little_endian_in_declaration_order()
    {
        Scalars value = new(true, 'A', 1, -1, -2, 3, -4, 5, -6, 7, (Half)1, 1f, -2.0, 1.5m, -1, 2, SmallColor.Green, WideFlags.Highest);

        byte[] expected = new Wire()
            .Byte(18)
            .Byte(1).UInt16('A').Byte(1).Byte(0xFF).Int16(-2).UInt16(3).Int32(-4).Int32(5).Int64(-6).Int64(7)
            .UInt16(0x3C00).Int32(BitConverter.SingleToInt32Bits(1f)).Double(-2.0).Bytes(DecimalBytes(1.5m))
            .Int64(-1).Int64(-1).Int64(2).Int64(0).Byte(2).Int64(long.MaxValue)
            .ToArray();
        Assert.Equal(expected, RpcSerializer.Serialize(value));
    }

    private static byte[] DecimalBytes(decimal value)
    {
        // decimal's memory layout: flags, hi32, then lo64 (mid and low).
        int[] bits = decimal.GetBits(value);
        return new Wire().Int32(bits[3]).Int32(bits[2]).Int32(bits[0]).Int32(bits[1]).ToArray();
    }

    private static byte[] MemoryMarshalBytes(string value) => [.. value.SelectMany(c => BitConverter.GetBytes(c))];

    /// <summary>Builds expected bytes, little-endian.</summary>
    private sealed class Wire
    {
        private readonly List<byte> _bytes = [];

        public Wire Byte(byte value)
        {
            _bytes.Add(value);
            return this;
        }

        public Wire Bytes(ReadOnlySpan<byte> value)
        {
            _bytes.AddRange(value);
            return this;
        }

        public Wire Zeros(int count) => Bytes(new byte[count]);

        public Wire Int16(short value) => Fixed(2, span => BinaryPrimitives.WriteInt16LittleEndian(span, value));

        public Wire UInt16(ushort value) => Fixed(2, span => BinaryPrimitives.WriteUInt16LittleEndian(span, value));

        public Wire Int32(int value) => Fixed(4, span => BinaryPrimitives.WriteInt32LittleEndian(span, value));

        public Wire Int64(long value) => Fixed(8, span => BinaryPrimitives.WriteInt64LittleEndian(span, value));

        public Wire Double(double value) => Fixed(8, span => BinaryPrimitives.WriteDoubleLittleEndian(span, value));

        public Wire Repeat(Func<Wire, Wire> part, int times)
        {
            for (int i = 0; i < times; i++)
            {
                part(this);
            }

            return this;
        }

        public byte[] ToArray() => [.. _bytes];

        private Wire Fixed(int size, SpanAction write)
        {
            Span<byte> span = stackalloc byte[size];
            write(span);
            return Bytes(span);
        }

        private delegate void SpanAction(Span<byte> span);
    }
}
