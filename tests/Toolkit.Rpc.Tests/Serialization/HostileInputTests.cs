using System.Buffers;
using System.Text;

namespace Toolkit.Rpc.Tests.Serialization;

/// <summary>
/// Corrupt, truncated and random data must end in <see cref="RpcSerializationException"/>: never another exception,
/// a crash, or an allocation sized by a length prefix rather than by the bytes that arrived.
/// </summary>
public sealed class HostileInputTests
{
    private static readonly byte[] MutationValues = [0x00, 0x01, 0x02, 0x7F, 0x80, 0xF9, 0xFA, 0xFE, 0xFF];

    public static TheoryData<string> Encodings => [.. Samples().Keys];

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Every_truncation_of_a_valid_encoding_is_rejected(string name)
    {
        Sample sample = Samples()[name];
        for (int length = 0; length < sample.Bytes.Length; length++)
        {
            Exception? failure = Record.Exception(() => sample.Decode(sample.Bytes.AsSpan(0, length).ToArray()));
            Assert.True(failure is RpcSerializationException, $"{name} cut to {length} of {sample.Bytes.Length} bytes: {Describe(failure)}");
        }
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Every_single_byte_mutation_either_reads_or_is_rejected(string name)
    {
        Sample sample = Samples()[name];
        byte[] mutated = new byte[sample.Bytes.Length];
        for (int position = 0; position < sample.Bytes.Length; position++)
        {
            foreach (byte value in MutationValues.Append((byte)(sample.Bytes[position] ^ 1)))
            {
                sample.Bytes.CopyTo(mutated, 0);
                mutated[position] = value;
                AssertReadsOrIsRejected(sample, mutated, $"{name} with byte {position} set to 0x{value:X2}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public void A_valid_encoding_with_trailing_bytes_is_rejected(string name)
    {
        Sample sample = Samples()[name];
        Assert.Throws<RpcSerializationException>(() => sample.Decode([.. sample.Bytes, 0]));
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Random_bytes_either_read_or_are_rejected(string name)
    {
        Sample sample = Samples()[name];
        int seed = PropertyTests.Seed();
        Random random = new(seed);
        for (int i = 0; i < 3000; i++)
        {
            byte[] bytes = new byte[random.Next(1, 96)];
            random.NextBytes(bytes);
            // Half of the inputs start like the real thing, so that the reader gets past the first header.
            if (i % 2 == 0)
            {
                sample.Bytes.AsSpan(0, Math.Min(bytes.Length / 2, sample.Bytes.Length)).CopyTo(bytes);
            }

            AssertReadsOrIsRejected(sample, bytes, $"{name}, random input #{i} from seed {seed} (rerun with TOOLKIT_SERIALIZATION_SEED={seed})");
        }
    }

    public static TheoryData<string, byte[]> HugeLengthClaims => new()
    {
        { "int[] of int.MaxValue", Claim(Arrays(0), int.MaxValue) },
        { "int[] of 100M", Claim(Arrays(0), 100_000_000) },
        { "byte[] of int.MaxValue", Claim(Arrays(1), int.MaxValue) },
        { "Guid[] of 1G", Claim(Arrays(2), 1 << 30) },
        { "bool[] of int.MaxValue", Claim(Arrays(3), int.MaxValue) },
        { "string[] of int.MaxValue", Claim(Arrays(4), int.MaxValue) },
        { "Address[] of 1G", Claim(Arrays(5), 1 << 30) },
        { "int[][] of int.MaxValue", Claim(Arrays(6), int.MaxValue) },
        { "decimal[] of 100M", Claim(Arrays(7), 100_000_000) },
        { "a negative length", Claim(Arrays(0), -2) },
        { "int.MinValue as a length", Claim(Arrays(0), int.MinValue) },
        { "a string of int.MaxValue UTF-16 chars", [1, .. BitConverter.GetBytes(int.MaxValue), 0, 0] },
        { "a string of int.MaxValue UTF-8 bytes", [1, .. BitConverter.GetBytes(~int.MaxValue), .. BitConverter.GetBytes(1), 0] },
        { "a string with more chars than bytes", [1, .. BitConverter.GetBytes(~2), .. BitConverter.GetBytes(3), 0x61, 0x62] },
    };

    [Theory]
    [MemberData(nameof(HugeLengthClaims))]
    public void A_length_claiming_more_than_the_data_holds_fails_without_allocating_for_it(string claim, byte[] bytes)
    {
        Type type = claim.StartsWith("a string", StringComparison.Ordinal) ? typeof(Text) : typeof(Arrays);
        long before = GC.GetAllocatedBytesForCurrentThread();

        Exception? failure = Record.Exception(() => _ = type == typeof(Text) ? RpcSerializer.Deserialize<Text>(bytes) : (object)RpcSerializer.Deserialize<Arrays>(bytes));

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(failure is RpcSerializationException, $"{claim}: {Describe(failure)}");
        Assert.True(allocated < 64 * 1024, $"{claim}: allocated {allocated} bytes");
    }

    [Fact]
    public void Collections_and_dictionaries_claiming_more_than_the_data_holds_fail_without_allocating_for_it()
    {
        for (int member = 0; member < 8; member++)
        {
            ArrayBufferWriter<byte> output = new();
            RpcWriter writer = new(output);
            writer.WriteObjectHeader(8);
            for (int i = 0; i < 8; i++)
            {
                writer.WriteCollectionHeader(i == member ? 500_000_000 : -1);
            }

            writer.Flush();
            byte[] bytes = output.WrittenSpan.ToArray();
            long before = GC.GetAllocatedBytesForCurrentThread();

            Exception? failure = Record.Exception(() => RpcSerializer.Deserialize<Collections>(bytes));

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(failure is RpcSerializationException, $"member {member}: {Describe(failure)}");
            Assert.True(allocated < 64 * 1024, $"member {member}: allocated {allocated} bytes");
        }
    }

    [Theory]
    [InlineData(0, 8)]
    [InlineData(1, 24)]
    public void A_collection_of_nullable_values_checks_its_length_at_the_nullables_size_before_allocating(int member, int nullableSize)
    {
        // As many elements claimed as there are bytes: at one byte an element the claim fits and an array of 8 or
        // 24 times the input was allocated before the data ran out.
        const int Claimed = 1 << 20;
        ArrayBufferWriter<byte> output = new();
        RpcWriter writer = new(output);
        writer.WriteObjectHeader(2);
        if (member == 1)
        {
            writer.WriteNullCollection();
        }

        writer.WriteCollectionHeader(Claimed);
        writer.WriteRaw(new byte[Claimed]);
        writer.Flush();

        long before = GC.GetAllocatedBytesForCurrentThread();
        RpcSerializationException exception = Assert.Throws<RpcSerializationException>(() => RpcSerializer.Deserialize<Readings>(output.WrittenSpan));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains($"at least {nullableSize} bytes each", exception.Message, StringComparison.Ordinal);
        Assert.True(allocated < 64 * 1024, $"allocated {allocated} bytes");
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("é漢字😀")]
    public void A_utf8_string_of_unknown_utf16_length_is_read(string text)
    {
        // MemoryPack's spec: ~byteCount, then -1 for a UTF-16 length the writer did not know, then the UTF-8 bytes.
        byte[] utf8 = Encoding.UTF8.GetBytes(text);
        byte[] data = [1, .. BitConverter.GetBytes(~utf8.Length), .. BitConverter.GetBytes(-1), .. utf8];

        Assert.Equal(text, RpcSerializer.Deserialize<Text>(data).Value);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    [InlineData(int.MinValue)]
    public void A_utf8_string_with_another_nonpositive_utf16_length_is_rejected(int charCount)
    {
        byte[] data = [1, .. BitConverter.GetBytes(~3), .. BitConverter.GetBytes(charCount), .. "abc"u8];
        Assert.Throws<RpcSerializationException>(() => RpcSerializer.Deserialize<Text>(data));
    }

    [Fact]
    public void Invalid_utf8_of_unknown_utf16_length_is_rejected()
    {
        byte[] data = [1, .. BitConverter.GetBytes(~2), .. BitConverter.GetBytes(-1), 0xC3, 0x28];
        RpcSerializationException exception = Assert.Throws<RpcSerializationException>(() => RpcSerializer.Deserialize<Text>(data));
        Assert.Contains("not valid UTF-8", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Objects_nested_100k_deep_in_the_data_are_rejected_without_overflowing_the_stack()
    {
        ArrayBufferWriter<byte> output = new();
        RpcWriter writer = new(output);
        for (int level = 0; level < 100_000; level++)
        {
            writer.WriteObjectHeader(2);
            writer.WriteUnmanaged(level);
        }

        writer.WriteNullObject();
        writer.Flush();

        RpcSerializationException exception = Assert.Throws<RpcSerializationException>(() => RpcSerializer.Deserialize<Node>(output.WrittenSpan));
        Assert.Contains("deeper than", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Structs_nested_100k_deep_in_the_data_are_rejected_without_overflowing_the_stack()
    {
        ArrayBufferWriter<byte> output = new();
        RpcWriter writer = new(output);
        for (int level = 0; level < 100_000; level++)
        {
            writer.WriteObjectHeader(2);
            writer.WriteUnmanaged(level);
            writer.WriteCollectionHeader(1);
        }

        writer.Flush();

        RpcSerializationException exception = Assert.Throws<RpcSerializationException>(() => RpcSerializer.Deserialize<Tree>(output.WrittenSpan));
        Assert.Contains("deeper than", exception.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, byte[]> InvalidValues => new()
    {
        { "a bool of 2", [3, .. new byte[8], .. new byte[4], 2] },
        { "an unknown union tag", [7, 1, 0] },
        { "an unknown wide union tag", [250, 0xFF, 0xFF, 0] },
        { "an object header of 251", [251] },
        { "a nullable with has-value 2", NullablesWith(first: 2) },
        { "invalid UTF-8", [1, .. BitConverter.GetBytes(~2), .. BitConverter.GetBytes(1), 0xC3, 0x28] },
        { "an overlong UTF-8 encoding", [1, .. BitConverter.GetBytes(~2), .. BitConverter.GetBytes(1), 0xC0, 0xAF] },
    };

    [Theory]
    [MemberData(nameof(InvalidValues))]
    public void Values_that_no_valid_instance_has_are_rejected(string what, byte[] bytes)
    {
        Exception? failure = Record.Exception(() => _ = what switch
        {
            "a bool of 2" => RpcSerializer.Deserialize<Ping>(bytes),
            "a nullable with has-value 2" => RpcSerializer.Deserialize<Nullables>(bytes),
            "an object header of 251" => RpcSerializer.Deserialize<Settings>(bytes),
            _ when what.Contains("UTF-8", StringComparison.Ordinal) => RpcSerializer.Deserialize<Text>(bytes),
            _ => (object?)RpcSerializer.Deserialize<Shape>(bytes),
        });
        Assert.True(failure is RpcSerializationException, $"{what}: {Describe(failure)}");
    }

    [Fact]
    public void Invalid_decimals_and_datetimes_are_rejected()
    {
        byte[] valid = RpcSerializer.Serialize(SampleValues.Scalars);
        int moneyOffset = 1 + 1 + 2 + 1 + 1 + 2 + 2 + 4 + 4 + 8 + 8 + 2 + 4 + 8;
        byte[] badScale = [.. valid];
        badScale[moneyOffset + 2] = 29;
        Assert.Throws<RpcSerializationException>(() => RpcSerializer.Deserialize<Scalars>(badScale));

        byte[] times = RpcSerializer.Serialize(SampleValues.Times);
        BitConverter.GetBytes(DateTime.MaxValue.Ticks + 1).CopyTo(times, 1 + 16);
        Assert.Throws<RpcSerializationException>(() => RpcSerializer.Deserialize<Times>(times));

        // DateTimeOffset: the offset in minutes (int), padding, then the UTC ticks.
        byte[] offset = RpcSerializer.Serialize(SampleValues.Times);
        BitConverter.GetBytes(15 * 60).CopyTo(offset, 1 + 16 + 8);
        Assert.Throws<RpcSerializationException>(() => RpcSerializer.Deserialize<Times>(offset));

        byte[] utcTicks = RpcSerializer.Serialize(SampleValues.Times);
        BitConverter.GetBytes(DateTime.MaxValue.Ticks + 1).CopyTo(utcTicks, 1 + 16 + 8 + 8);
        Assert.Throws<RpcSerializationException>(() => RpcSerializer.Deserialize<Times>(utcTicks));
    }

    [Fact]
    public void A_dictionary_with_a_duplicate_or_null_key_is_rejected()
    {
        static byte[] MapOf(params string?[] keys)
        {
            ArrayBufferWriter<byte> output = new();
            RpcWriter writer = new(output);
            writer.WriteObjectHeader(8);
            for (int i = 0; i < 5; i++)
            {
                writer.WriteNullCollection();
            }

            writer.WriteCollectionHeader(keys.Length);
            foreach (string? key in keys)
            {
                writer.WriteString(key);
                writer.WriteString("value");
            }

            writer.WriteNullCollection();
            writer.WriteNullCollection();
            writer.Flush();
            return output.WrittenSpan.ToArray();
        }

        Assert.Equal("value", RpcSerializer.Deserialize<Collections>(MapOf("a", "b")).Map!["b"]);
        Assert.Contains("twice", Assert.Throws<RpcSerializationException>(() => RpcSerializer.Deserialize<Collections>(MapOf("a", "a"))).Message, StringComparison.Ordinal);
        Assert.Contains("null", Assert.Throws<RpcSerializationException>(() => RpcSerializer.Deserialize<Collections>(MapOf("a", null))).Message, StringComparison.Ordinal);
    }

    private static void AssertReadsOrIsRejected(Sample sample, byte[] bytes, string what)
    {
        Exception? failure = Record.Exception(() => sample.Decode(bytes));
        Assert.True(failure is null or RpcSerializationException, $"{what}: {Describe(failure)}");
    }

    private static string Describe(Exception? failure) => failure is null ? "no exception" : failure.ToString();

    private static Dictionary<string, Sample> Samples()
    {
        RandomValues random = new(new Random(20240229));
        return new Dictionary<string, Sample>(StringComparer.Ordinal)
        {
            ["Ping"] = Sample.Of(new Ping(1234567890123, 7, true)),
            ["Scalars"] = Sample.Of(SampleValues.Scalars),
            ["Times"] = Sample.Of(SampleValues.Times),
            ["Nullables"] = Sample.Of(SampleValues.Nullables),
            ["Text"] = Sample.Of(new Text("漢字 and 😀")),
            ["Text in UTF-16"] = Sample.Of(new Text("lone \uD800")),
            ["Arrays"] = Sample.Of(SampleValues.Arrays),
            ["Collections"] = Sample.Of(SampleValues.Collections),
            ["Drawing"] = Sample.Of(SampleValues.Drawing),
            ["Shape"] = Sample.Of<Shape>(new Triangle(1, 2, 3)),
            ["Node"] = Sample.Of(new Node(1, new Node(2, new Node(3, null)))),
            ["Tree"] = Sample.Of(new Tree { Value = 1, Children = [new Tree { Value = 2, Children = [] }, default] }),
            ["Profile"] = Sample.Of(SampleValues.Profile),
            ["Blob"] = Sample.Of(new Blob(new byte[] { 1, 2, 3, 4 })),
            ["Random collections"] = Sample.Of(random.Collections()),
            ["Random arrays"] = Sample.Of(random.Arrays()),
        };
    }

    // An Arrays message whose member at index `member` is the only non-null one, with a placeholder length.
    private static byte[] Arrays(int member)
    {
        byte[] bytes = new byte[1 + 9 * 4];
        bytes[0] = 9;
        for (int i = 0; i < 9; i++)
        {
            BitConverter.GetBytes(i == member ? 0 : -1).CopyTo(bytes, 1 + i * 4);
        }

        return [.. bytes, .. new byte[16]];
    }

    private static byte[] Claim(byte[] arrays, int length)
    {
        int member = Enumerable.Range(0, 9).First(i => BitConverter.ToInt32(arrays, 1 + i * 4) == 0);
        BitConverter.GetBytes(length).CopyTo(arrays, 1 + member * 4);
        return arrays;
    }

    private static byte[] NullablesWith(byte first)
    {
        byte[] bytes = RpcSerializer.Serialize(SampleValues.EmptyNullables);
        bytes[1] = first;
        return bytes;
    }

    /// <summary>A valid encoding and the decode call for its type.</summary>
    private sealed record Sample(byte[] Bytes, Action<byte[]> Decode)
    {
        public static Sample Of<T>(T value) => new(RpcSerializer.Serialize(value), bytes => RpcSerializer.Deserialize<T>(bytes));
    }
}
