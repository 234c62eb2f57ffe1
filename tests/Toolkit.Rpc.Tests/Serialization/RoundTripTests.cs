using System.Buffers;

namespace Toolkit.Rpc.Tests.Serialization;

public sealed class RoundTripTests
{
    // As bit patterns, so that distinct NaNs and the two zeros are distinct test cases.
    public static TheoryData<long> SpecialDoubleBits => new()
    {
        BitConverter.DoubleToInt64Bits(double.NaN), BitConverter.DoubleToInt64Bits(-double.NaN), 0x7FF0_0000_0000_0001,
        BitConverter.DoubleToInt64Bits(double.PositiveInfinity), BitConverter.DoubleToInt64Bits(double.NegativeInfinity),
        BitConverter.DoubleToInt64Bits(-0.0), 0, 1, BitConverter.DoubleToInt64Bits(double.MaxValue), BitConverter.DoubleToInt64Bits(double.MinValue),
    };

    public static TheoryData<int> SpecialFloatBits => new()
    {
        BitConverter.SingleToInt32Bits(float.NaN), 0x7F80_0001, BitConverter.SingleToInt32Bits(float.PositiveInfinity),
        BitConverter.SingleToInt32Bits(float.NegativeInfinity), BitConverter.SingleToInt32Bits(-0.0f), 1,
        BitConverter.SingleToInt32Bits(float.MaxValue), BitConverter.SingleToInt32Bits(float.MinValue),
    };

    public static TheoryData<decimal> Decimals => new()
    {
        decimal.MaxValue, decimal.MinValue, decimal.Zero, -0.0m, 1.00m, new decimal(1, 0, 0, false, 28), new decimal(-1, -1, -1, true, 28),
    };

    public static TheoryData<DateTime> DateTimes => new()
    {
        DateTime.MinValue, DateTime.MaxValue,
        DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc), DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Utc),
        DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Local), DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Local),
        new DateTime(2024, 2, 29, 12, 0, 0, DateTimeKind.Unspecified).AddTicks(1),
        new DateTime(2024, 2, 29, 12, 0, 0, DateTimeKind.Utc).AddTicks(1),
        new DateTime(2024, 2, 29, 12, 0, 0, DateTimeKind.Local).AddTicks(1),
    };

    public static TheoryData<DateTimeOffset> DateTimeOffsets => new()
    {
        DateTimeOffset.MinValue,
        DateTimeOffset.MaxValue,
        new DateTimeOffset(DateTime.MinValue, TimeSpan.FromHours(-14)),
        new DateTimeOffset(DateTime.MaxValue, TimeSpan.FromHours(14)),
        new DateTimeOffset(DateTime.MinValue.AddHours(14), TimeSpan.FromHours(14)),
        new DateTimeOffset(DateTime.MaxValue.AddHours(-14), TimeSpan.FromHours(-14)),
        new DateTimeOffset(2024, 6, 1, 8, 30, 0, TimeSpan.FromMinutes(345)),
    };

    public static TheoryData<TimeSpan> TimeSpans => new() { TimeSpan.MinValue, TimeSpan.MaxValue, TimeSpan.Zero, TimeSpan.FromTicks(-1) };

    public static TheoryData<string?> Strings => new()
    {
        null,
        "",
        "plain ASCII text",
        "Grüße, ça va? Ελληνικά",
        "漢字とひらがなと한국어",
        "emoji 😀 and 👩‍👩‍👧 pairs 𝄞",
        "a\uD800b",
        "\uDC00 trailing half first",
        "ends with a high half \uD83D",
        "\0 embedded nul \0",
    };

    [Fact]
    public void A_positional_record_round_trips() => RoundTrip.AssertRoundTrips(new Ping(1234567890123, 7, true));

    [Fact]
    public void Every_scalar_member_round_trips_at_its_extremes()
    {
        RoundTrip.AssertRoundTrips(SampleValues.Scalars);
        RoundTrip.AssertRoundTrips(SampleValues.Scalars with
        {
            Flag = false,
            Letter = '\uFFFF',
            U8 = 0,
            I8 = sbyte.MaxValue,
            I16 = short.MaxValue,
            U16 = 0,
            I32 = int.MaxValue,
            U32 = 0,
            I64 = long.MaxValue,
            U64 = 0,
            F16 = Half.NegativeInfinity,
            Big = Int128.MaxValue,
            UnsignedBig = UInt128.Zero,
            Color = (SmallColor)0,
            Flags = WideFlags.Highest,
        });
    }

    [Theory]
    [MemberData(nameof(SpecialDoubleBits))]
    public void Doubles_keep_their_exact_bits(long bits)
    {
        double value = BitConverter.Int64BitsToDouble(bits);
        Scalars copy = RoundTrip.AssertRoundTrips(SampleValues.Scalars with { F64 = value, F16 = (Half)value });
        Assert.Equal(bits, BitConverter.DoubleToInt64Bits(copy.F64));
    }

    [Theory]
    [MemberData(nameof(SpecialFloatBits))]
    public void Floats_keep_their_exact_bits(int bits)
    {
        Scalars copy = RoundTrip.AssertRoundTrips(SampleValues.Scalars with { F32 = BitConverter.Int32BitsToSingle(bits) });
        Assert.Equal(bits, BitConverter.SingleToInt32Bits(copy.F32));
    }

    [Theory]
    [MemberData(nameof(Decimals))]
    public void Decimals_keep_their_value_and_scale(decimal value)
    {
        Scalars copy = RoundTrip.AssertRoundTrips(SampleValues.Scalars with { Money = value });
        Assert.Equal(value.Scale, copy.Money.Scale);
    }

    [Theory]
    [InlineData(WideFlags.Lowest)]
    [InlineData(WideFlags.Highest)]
    [InlineData((WideFlags)12345)]
    public void Long_enums_round_trip_even_undeclared_values(WideFlags flags) =>
        Assert.Equal(flags, RoundTrip.Of(SampleValues.Scalars with { Flags = flags }).Flags);

    [Theory]
    [InlineData(SmallColor.Red)]
    [InlineData(SmallColor.Blue)]
    [InlineData((SmallColor)0)]
    public void Byte_enums_round_trip_even_undeclared_values(SmallColor color) =>
        Assert.Equal(color, RoundTrip.Of(SampleValues.Scalars with { Color = color }).Color);

    [Theory]
    [MemberData(nameof(DateTimes))]
    public void DateTimes_keep_their_ticks_and_kind(DateTime value)
    {
        Times copy = RoundTrip.AssertRoundTrips(SampleValues.Times with { At = value });
        Assert.Equal(value.Kind, copy.At.Kind);
    }

    [Theory]
    [MemberData(nameof(DateTimeOffsets))]
    public void DateTimeOffsets_keep_their_clock_time_and_offset(DateTimeOffset value)
    {
        Times copy = RoundTrip.AssertRoundTrips(SampleValues.Times with { Offset = value });
        Assert.Equal(value.Offset, copy.Offset.Offset);
        Assert.Equal(value.UtcTicks, copy.Offset.UtcTicks);
    }

    [Theory]
    [MemberData(nameof(TimeSpans))]
    public void TimeSpans_round_trip(TimeSpan value) => RoundTrip.AssertRoundTrips(SampleValues.Times with { Span = value });

    [Fact]
    public void Guids_round_trip()
    {
        Guid id = Guid.NewGuid();
        Assert.Equal(id, RoundTrip.Of(SampleValues.Times with { Id = id }).Id);
    }

    [Fact]
    public void Nullable_values_round_trip_when_set()
    {
        Nullables copy = RoundTrip.AssertRoundTrips(SampleValues.Nullables);
        Assert.Equal(new Point(-1, 1), copy.Where);
        Assert.True(double.IsNaN(copy.Ratio!.Value));
    }

    [Fact]
    public void Nullable_values_round_trip_when_null() => RoundTrip.AssertRoundTrips(SampleValues.EmptyNullables);

    [Fact]
    public void Nullable_values_round_trip_at_their_extremes() => RoundTrip.AssertRoundTrips(new Nullables(
        int.MinValue, double.NegativeInfinity, decimal.MinValue, Guid.NewGuid(), DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Local),
        new DateTimeOffset(DateTime.MaxValue, TimeSpan.FromHours(14)), true, SmallColor.Blue, 0, new Point(int.MaxValue, int.MinValue)));

    [Theory]
    [MemberData(nameof(Strings))]
    public void Strings_round_trip_exactly(string? value)
    {
        Text copy = RoundTrip.AssertRoundTrips(new Text(value));
        Assert.Equal(value, copy.Value);
    }

    [Fact]
    public void A_string_with_a_lone_surrogate_travels_in_the_utf16_form()
    {
        byte[] bytes = RpcSerializer.Serialize(new Text("a\uD800b"));

        Assert.Equal(3, BitConverter.ToInt32(bytes, 1));
        Assert.Equal("a\uD800b", RpcSerializer.Deserialize<Text>(bytes).Value);
    }

    [Theory]
    [InlineData('a')]
    [InlineData('é')]
    [InlineData('漢')]
    public void A_100k_char_string_round_trips(char filler)
    {
        string value = new string(filler, 100_000) + "😀";
        Assert.Equal(value, RoundTrip.Of(new Text(value)).Value);
    }

    [Fact]
    public void A_100k_char_string_with_a_lone_surrogate_round_trips()
    {
        string value = new string('x', 50_000) + "\uDFFF" + new string('漢', 50_000);
        Assert.Equal(value, RoundTrip.Of(new Text(value)).Value);
    }

    [Fact]
    public void Arrays_of_every_kind_round_trip() => RoundTrip.AssertRoundTrips(SampleValues.Arrays);

    [Fact]
    public void Null_arrays_round_trip_as_null() =>
        RoundTrip.AssertRoundTrips(new Arrays(null, null, null, null, null, null, null, null, null));

    [Fact]
    public void Empty_arrays_round_trip_as_empty()
    {
        Arrays copy = RoundTrip.AssertRoundTrips(new Arrays([], [], [], [], [], [], [], [], []));
        Assert.NotNull(copy.Ints);
        Assert.Empty(copy.Jagged!);
    }

    [Fact]
    public void Large_raw_arrays_round_trip()
    {
        Random random = new(17);
        int[] ints = new int[50_000];
        byte[] bytes = new byte[100_000];
        random.NextBytes(bytes);
        for (int i = 0; i < ints.Length; i++)
        {
            ints[i] = random.Next(int.MinValue, int.MaxValue);
        }

        Guid[] ids = [.. Enumerable.Range(0, 1000).Select(_ => Guid.NewGuid())];
        RoundTrip.AssertRoundTrips(new Arrays(ints, bytes, ids, null, null, null, [ints, [], ints], null, null));
    }

    [Fact]
    public void Lists_sets_and_dictionaries_round_trip() => RoundTrip.AssertRoundTrips(SampleValues.Collections);

    [Fact]
    public void Null_collections_round_trip_as_null() =>
        RoundTrip.AssertRoundTrips(new Collections(null, null, null, null, null, null, null, null));

    [Fact]
    public void Empty_collections_round_trip_as_empty()
    {
        Collections copy = RoundTrip.AssertRoundTrips(new Collections([], [], [], [], [], [], new Dictionary<int, Address>(), []));
        Assert.NotNull(copy.ById);
        Assert.Empty(copy.Longs!);
    }

    [Fact]
    public void A_raw_list_of_longs_round_trips()
    {
        List<long> longs = [.. Enumerable.Range(-5000, 10_000).Select(i => (long)i * int.MaxValue)];
        Assert.Equal(longs, RoundTrip.Of(SampleValues.Collections with { Longs = longs }).Longs);
    }

    [Fact]
    public void A_dictionary_with_many_entries_round_trips()
    {
        Dictionary<string, string> map = Enumerable.Range(0, 5000).ToDictionary(i => "key" + i, i => new string('v', i % 17));
        RoundTrip.AssertRoundTrips(SampleValues.Collections with { Map = map });
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(64 * 1024)]
    public void Read_only_memory_of_bytes_round_trips(int length)
    {
        byte[] data = new byte[length];
        new Random(length).NextBytes(data);
        Blob copy = RoundTrip.AssertRoundTrips(new Blob(data));
        Assert.Equal(length, copy.Data.Length);
    }

    [Fact]
    public void Default_read_only_memory_round_trips_as_empty() => Assert.True(RoundTrip.Of(new Blob(default)).Data.IsEmpty);

    public static TheoryData<Shape?> Shapes => new() { new Circle(1.5), new Square(2), new RoundedSquare(3, 0.25), new Triangle(3, 4, 5), null };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Every_union_case_round_trips_as_its_own_type(Shape? shape)
    {
        Shape? copy = RoundTrip.Of(shape);
        Assert.Equal(shape, copy);
        Assert.Equal(shape?.GetType(), copy?.GetType());
    }

    [Fact]
    public void A_case_deriving_from_another_case_keeps_its_own_tag_and_members()
    {
        byte[] bytes = RpcSerializer.Serialize<Shape>(new RoundedSquare(3, 0.25));

        Assert.Equal(2, bytes[0]);
        RoundedSquare copy = Assert.IsType<RoundedSquare>(RpcSerializer.Deserialize<Shape>(bytes));
        Assert.Equal(0.25, copy.Corner);
        Assert.Equal(3, copy.Side);
    }

    [Fact]
    public void Unions_inside_objects_and_lists_round_trip() => RoundTrip.AssertRoundTrips(SampleValues.Drawing);

    [Fact]
    public void A_concrete_case_serializes_on_its_own_as_an_object() =>
        Assert.Equal(new Triangle(1, 2, 3), RoundTrip.Of(new Triangle(1, 2, 3)));

    [Fact]
    public void Init_only_and_required_properties_round_trip() => RoundTrip.AssertRoundTrips(SampleValues.Profile);

    [Fact]
    public void A_class_with_setters_round_trips()
    {
        Settings settings = new() { Name = "retry policy", Retries = 3, Tags = ["a", "b"] };
        RoundTrip.AssertRoundTrips(settings);
        RoundTrip.AssertRoundTrips(new Settings());
        Assert.Null(RoundTrip.Of<Settings?>(null));
    }

    [Fact]
    public void A_struct_with_fields_and_a_nested_struct_round_trips()
    {
        RoundTrip.AssertRoundTrips(new Sample { Count = -3, Label = "label", Origin = new Point(4, 5) });
        RoundTrip.AssertRoundTrips(default(Sample));
    }

    [Fact]
    public void A_struct_cannot_be_read_from_the_null_marker()
    {
        RpcSerializationException exception = Assert.Throws<RpcSerializationException>(() => RpcSerializer.Deserialize<Sample>([RpcWriter.NullObject]));
        Assert.Contains("cannot be null", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_linked_list_100_deep_round_trips()
    {
        Node list = BuildList(100);
        Node copy = RoundTrip.Of(list)!;
        Assert.Equal(list, copy);
        Assert.Equal(100, Length(copy));
    }

    [Fact]
    public void A_linked_list_300_deep_is_rejected_on_write()
    {
        RpcSerializationException exception = Assert.Throws<RpcSerializationException>(() => RpcSerializer.Serialize(BuildList(300)));
        Assert.Contains("deeper than", exception.Message, StringComparison.Ordinal);
        Assert.Contains("cycle", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tree_of_structs_100_deep_round_trips()
    {
        Tree tree = BuildTree(100);
        RoundTrip.AssertRoundTrips(tree);
    }

    [Fact]
    public void A_tree_of_structs_300_deep_is_rejected_on_write()
    {
        RpcSerializationException exception = Assert.Throws<RpcSerializationException>(() => RpcSerializer.Serialize(BuildTree(300)));
        Assert.Contains("deeper than", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tree_of_structs_nested_300_deep_in_the_data_is_rejected_on_read()
    {
        // Hand-written, because the writer refuses to produce it: each level is [2][int value][array of one child].
        ArrayBufferWriter<byte> output = new();
        RpcWriter writer = new(output);
        const int Depth = 300;
        for (int level = 0; level < Depth; level++)
        {
            writer.WriteObjectHeader(2);
            writer.WriteUnmanaged(level);
            writer.WriteCollectionHeader(level == Depth - 1 ? 0 : 1);
        }

        writer.Flush();
        RpcSerializationException exception = Assert.Throws<RpcSerializationException>(() => RpcSerializer.Deserialize<Tree>(output.WrittenSpan));
        Assert.Contains("deeper than", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Data_from_an_older_version_with_fewer_members_reads_with_defaults()
    {
        ArrayBufferWriter<byte> output = new();
        RpcWriter writer = new(output);
        writer.WriteObjectHeader(2);
        writer.WriteUnmanaged(42);
        writer.WriteString("old");
        writer.Flush();

        Versioned value = RpcSerializer.Deserialize<Versioned>(output.WrittenSpan);

        Assert.Equal(new Versioned(42, "old", 0, null), value);
    }

    [Fact]
    public void Data_from_a_version_with_no_members_reads_as_all_defaults()
    {
        Assert.Equal(new Versioned(0, null, 0, null), RpcSerializer.Deserialize<Versioned>([0]));
    }

    [Fact]
    public void Data_with_more_members_than_the_type_knows_is_rejected()
    {
        ArrayBufferWriter<byte> output = new();
        RpcWriter writer = new(output);
        writer.WriteObjectHeader(5);
        writer.WriteUnmanaged(42);
        writer.WriteString("new");
        writer.WriteUnmanaged(7L);
        writer.WriteNullCollection();
        writer.WriteUnmanaged(true);
        writer.Flush();
        byte[] bytes = output.WrittenSpan.ToArray();

        RpcSerializationException exception = Assert.Throws<RpcSerializationException>(() => RpcSerializer.Deserialize<Versioned>(bytes));
        Assert.Contains("5 members", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_frame_that_arrives_in_many_segments_reads_like_a_contiguous_one()
    {
        byte[] bytes = RpcSerializer.Serialize(SampleValues.Collections);
        StructuralEquality.AssertEqual(SampleValues.Collections, RoundTrip.FromSegments<Collections>(bytes));
    }

    private static Node BuildList(int length)
    {
        Node? head = null;
        for (int i = length; i > 0; i--)
        {
            head = new Node(i, head);
        }

        return head!;
    }

    private static int Length(Node? node)
    {
        int length = 0;
        for (; node is not null; node = node.Next)
        {
            length++;
        }

        return length;
    }

    private static Tree BuildTree(int depth)
    {
        Tree tree = new() { Value = depth, Children = [] };
        for (int level = depth - 1; level > 0; level--)
        {
            tree = new Tree { Value = level, Children = [tree, new Tree { Value = -level }] };
        }

        return tree;
    }
}
