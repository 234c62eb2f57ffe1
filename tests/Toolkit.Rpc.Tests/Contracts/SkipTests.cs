using System.Buffers;
using System.Runtime.CompilerServices;
using Toolkit.Rpc.Serialization;
using Toolkit.Rpc.Tests.Serialization;

namespace Toolkit.Rpc.Tests.Contracts;

/// <summary>
/// A newer peer's data carries members this version of a type lacks: the reader skips them by the peer's contract,
/// whatever their shape, and reads the rest of the frame intact; without the contract, or past it, it refuses.
/// </summary>
public sealed class SkipTests
{
    private const string Versioned = "Toolkit.Rpc.Tests.Serialization.Versioned";

    private static readonly string[] NewerContract =
    [
        $"type {Versioned}: object {{ Id: int, Name: string, Added: long, AddedList: System.Collections.Generic.List<int>, "
            + "E1: X.Color, E2: System.DateTimeOffset, E3: System.DateTimeOffset?, E4: int?, E5: decimal?, E6: System.Guid?, E7: X.Inner, "
            + "E8: X.Inner?, E9: X.Shape, E10: int[], E11: X.Inner[], E12: System.Collections.Generic.Dictionary<string, X.Inner>, "
            + "E13: System.ReadOnlyMemory<byte>, E14: X.IGateway, E15: string, E16: X.Shape, E17: X.Node, E18: System.Collections.Generic.Dictionary<int, long> }",
        "type System.Collections.Generic.Dictionary<int, long>: dictionary of int to long",
        "type X.Color: enum of 2 raw bytes { A = 0, B = 1 }",
        "type System.DateTimeOffset: offset minutes and utc ticks",
        "type System.DateTimeOffset?: nullable System.DateTimeOffset",
        "type int?: nullable int",
        "type int: 4 raw bytes",
        "type long: 8 raw bytes",
        "type decimal?: nullable decimal",
        "type decimal: 16 raw bytes",
        "type System.Guid?: nullable System.Guid",
        "type System.Guid: 16 raw bytes",
        "type X.Inner: struct { A: int, B: string }",
        "type X.Inner?: nullable X.Inner",
        "type X.Shape: union { 0: X.Circle, 300: X.Inner }",
        "type X.Circle: object { R: double }",
        "type double: 8 raw bytes",
        "type int[]: block array of int",
        "type X.Inner[]: collection of X.Inner",
        "type System.Collections.Generic.Dictionary<string, X.Inner>: dictionary of string to X.Inner",
        "type System.Collections.Generic.List<int>: collection of int",
        "type string: utf-8 string",
        "type System.ReadOnlyMemory<byte>: bytes",
        "type X.IGateway: gateway reference",
        "type X.Node: object { Value: int, Next: X.Node }",
    ];

    [Fact]
    public void Members_of_every_shape_that_a_newer_peer_appended_are_skipped_and_the_known_ones_read()
    {
        byte[] bytes = Write((ref RpcWriter writer) =>
        {
            WriteKnown(ref writer, 4 + 18);
            writer.WriteUnmanaged((short)1);
            writer.WriteDateTimeOffset(new DateTimeOffset(2026, 12, 5, 1, 2, 3, TimeSpan.FromHours(8)));
            writer.WriteNullableDateTimeOffset(DateTimeOffset.UnixEpoch);
            writer.WriteNullable<int>(5);
            writer.WriteNullable<decimal>(1.5m);
            writer.WriteNullable<Guid>(Guid.NewGuid());
            WriteInner(ref writer);
            writer.WriteObjectHeader(1);
            WriteInner(ref writer);
            writer.WriteUnionHeader(0);
            writer.WriteObjectHeader(1);
            writer.WriteUnmanaged(2.5);
            writer.WriteUnmanagedArray<int>([1, 2, 3]);
            writer.WriteCollectionHeader(2);
            WriteInner(ref writer);
            WriteInner(ref writer);
            writer.WriteCollectionHeader(1);
            writer.WriteString("key");
            WriteInner(ref writer);
            writer.WriteBytes([9, 8, 7]);
            writer.WriteObjectHeader(3);
            writer.WriteString("node-1");
            writer.WriteString(null);
            writer.WriteString("endpoint");
            writer.WriteString("tail — ünïcode");
            writer.WriteUnionHeader(300);
            WriteInner(ref writer);
            writer.WriteObjectHeader(2);
            writer.WriteUnmanaged(1);
            writer.WriteObjectHeader(2);
            writer.WriteUnmanaged(2);
            writer.WriteNullObject();
            writer.WriteCollectionHeader(2);
            for (int i = 0; i < 2; i++)
            {
                // KeyValuePair<int, long>'s memory layout: the key, 4 bytes of padding, the value.
                writer.WriteUnmanaged(i, 0, (long)i * 1000);
            }
        });

        Versioned read = Read(bytes, Peer(NewerContract));
        Assert.Equal((42, "known", 7L), (read.Id, read.Name, read.Added));
        Assert.Equal([1, 2], read.AddedList!);
    }

    [Fact]
    public void Without_the_peers_contract_more_members_than_known_are_refused()
    {
        byte[] bytes = Write((ref RpcWriter writer) =>
        {
            WriteKnown(ref writer, 5);
            writer.WriteUnmanaged((short)1);
        });

        RpcSerializationException error = Assert.Throws<RpcSerializationException>(() => Read(bytes, context: null));
        Assert.Contains("the data has 5 members but this version of the type has 4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Data_with_more_members_than_even_the_peers_contract_declares_is_refused()
    {
        byte[] bytes = Write((ref RpcWriter writer) =>
        {
            WriteKnown(ref writer, 6);
            writer.WriteUnmanaged((short)1);
            writer.WriteUnmanaged(2);
        });

        RpcSerializationException error = Assert.Throws<RpcSerializationException>(
            () => Read(bytes, Peer([$"type {Versioned}: object {{ Id: int, Name: string, Added: long, AddedList: System.Collections.Generic.List<int>, E1: X.Color }}", "type X.Color: 2 raw bytes"])));
        Assert.Contains("more than the 5 of the peer's own contract", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_skipped_member_nested_without_end_stops_at_the_depth_limit()
    {
        byte[] bytes = Write((ref RpcWriter writer) =>
        {
            WriteKnown(ref writer, 5);
            for (int i = 0; i < 100_000; i++)
            {
                writer.WriteObjectHeader(2);
                writer.WriteUnmanaged(i);
            }
        });

        RpcSerializationException error = Assert.Throws<RpcSerializationException>(() => Read(bytes, Peer(
            [$"type {Versioned}: object {{ Id: int, Name: string, Added: long, AddedList: System.Collections.Generic.List<int>, E1: X.Node }}", .. NewerContract[2..]])));
        Assert.Contains("nest deeper than", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_member_of_a_shape_this_version_does_not_know_cannot_be_skipped_and_says_so()
    {
        byte[] bytes = Write((ref RpcWriter writer) =>
        {
            WriteKnown(ref writer, 5);
            writer.WriteUnmanaged(1);
        });

        RpcSerializationException error = Assert.Throws<RpcSerializationException>(() => Read(bytes, Peer(
            [$"type {Versioned}: object {{ Id: int, Name: string, Added: long, AddedList: System.Collections.Generic.List<int>, Feed: X.Feed }}", "type X.Feed: stream of int"])));
        Assert.Contains("'stream of int', a shape this version does not know", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_size_of_a_nullable_raw_value_follows_from_its_contract_line()
    {
        AssertNullableSize<bool>("bool", "1 raw byte");
        AssertNullableSize<short>("short", "2 raw bytes");
        AssertNullableSize<int>("int", "4 raw bytes");
        AssertNullableSize<long>("long", "8 raw bytes");
        AssertNullableSize<decimal>("decimal", "16 raw bytes");
        AssertNullableSize<Guid>("System.Guid", "16 raw bytes");
        AssertNullableSize<Int128>("System.Int128", "16 raw bytes");
        AssertNullableSize<DateTime>("System.DateTime", "8 raw bytes");
        AssertNullableSize<DateOnly>("System.DateOnly", "4 raw bytes");
        AssertNullableSize<Half>("System.Half", "2 raw bytes");
        AssertNullableSize<DayOfWeek>("System.DayOfWeek", "enum of 4 raw bytes { Sunday = 0 }");
        AssertNullableSize<DateTimeOffset>("System.DateTimeOffset", "offset minutes and utc ticks");
    }

    private static void AssertNullableSize<T>(string name, string line)
        where T : unmanaged
    {
        WireSchema schema = WireSchema.Parse([$"type {name}: {line}", $"type {name}?: nullable {name}"]);
        Assert.Equal(Unsafe.SizeOf<T?>(), schema.RawSize(schema.Find(name + "?")!));
    }

    private static void WriteKnown(ref RpcWriter writer, byte count)
    {
        writer.WriteObjectHeader(count);
        writer.WriteUnmanaged(42);
        writer.WriteString("known");
        writer.WriteUnmanaged(7L);
        writer.WriteUnmanagedSpan<int>([1, 2]);
    }

    private static void WriteInner(ref RpcWriter writer)
    {
        writer.WriteObjectHeader(2);
        writer.WriteUnmanaged(3);
        writer.WriteString("inner");
    }

    private delegate void WriteAction(ref RpcWriter writer);

    private static byte[] Write(WriteAction write)
    {
        ArrayBufferWriter<byte> output = new();
        RpcWriter writer = new(output);
        write(ref writer);
        writer.Flush();
        return output.WrittenSpan.ToArray();
    }

    private static Versioned Read(byte[] bytes, RpcSerializationContext? context) => RpcSerializer.Deserialize<Versioned>(bytes, context);

    private static PeerContext Peer(string[] lines) => new(WireSchema.Parse(lines));

    private sealed class PeerContext(WireSchema schema) : RpcSerializationContext
    {
        internal override WireSchema? PeerSchema => schema;

        public override TGateway ResolveGateway<TGateway>(RpcEndpointReference reference) =>
            throw new InvalidOperationException("no gateway is resolved here");
    }
}
