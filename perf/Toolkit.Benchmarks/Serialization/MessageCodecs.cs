using System.Buffers;
using System.Text.Json.Serialization.Metadata;
using Toolkit.Benchmarks.Messages;

namespace Toolkit.Benchmarks.Serialization;

public readonly struct PingCodec : IMessageCodec<Ping>
{
    public static JsonTypeInfo<Ping> Json => MessagesJsonContext.Default.Ping;

    public static void WriteHandWritten(IBufferWriter<byte> output, Ping value) => HandWrittenCodec.Write(output, value);

    public static Ping ReadHandWritten(ReadOnlySpan<byte> data) => HandWrittenCodec.ReadPing(data);

    public static bool KeyMatches(Ping expected, Ping actual) => actual.Id == expected.Id;

    public static bool Equivalent(Ping expected, Ping actual) => MessageEquality.Equivalent(expected, actual);
}

public readonly struct RegistrationCodec : IMessageCodec<Registration>
{
    public static JsonTypeInfo<Registration> Json => MessagesJsonContext.Default.Registration;

    public static void WriteHandWritten(IBufferWriter<byte> output, Registration value) => HandWrittenCodec.Write(output, value);

    public static Registration ReadHandWritten(ReadOnlySpan<byte> data) => HandWrittenCodec.ReadRegistration(data);

    public static bool KeyMatches(Registration expected, Registration actual) => actual.Slots == expected.Slots;

    public static bool Equivalent(Registration expected, Registration actual) => MessageEquality.Equivalent(expected, actual);
}

public readonly struct SlotReportCodec : IMessageCodec<SlotReport>
{
    public static JsonTypeInfo<SlotReport> Json => MessagesJsonContext.Default.SlotReport;

    public static void WriteHandWritten(IBufferWriter<byte> output, SlotReport value) => HandWrittenCodec.Write(output, value);

    public static SlotReport ReadHandWritten(ReadOnlySpan<byte> data) => HandWrittenCodec.ReadSlotReport(data);

    public static bool KeyMatches(SlotReport expected, SlotReport actual) => actual.Slots.Length == expected.Slots.Length;

    public static bool Equivalent(SlotReport expected, SlotReport actual) => MessageEquality.Equivalent(expected, actual);
}

public readonly struct DrawCodec : IMessageCodec<Draw>
{
    public static JsonTypeInfo<Draw> Json => MessagesJsonContext.Default.Draw;

    public static void WriteHandWritten(IBufferWriter<byte> output, Draw value) => HandWrittenCodec.Write(output, value);

    public static Draw ReadHandWritten(ReadOnlySpan<byte> data) => HandWrittenCodec.ReadDraw(data);

    public static bool KeyMatches(Draw expected, Draw actual) => actual.UserId == expected.UserId;

    public static bool Equivalent(Draw expected, Draw actual) => MessageEquality.Equivalent(expected, actual);
}

public readonly struct ChunkCodec : IMessageCodec<Chunk>
{
    public static JsonTypeInfo<Chunk> Json => MessagesJsonContext.Default.Chunk;

    public static void WriteHandWritten(IBufferWriter<byte> output, Chunk value) => HandWrittenCodec.Write(output, value);

    public static Chunk ReadHandWritten(ReadOnlySpan<byte> data) => HandWrittenCodec.ReadChunk(data);

    public static bool KeyMatches(Chunk expected, Chunk actual) => actual.Data.Length == expected.Data.Length;

    public static bool Equivalent(Chunk expected, Chunk actual) => MessageEquality.Equivalent(expected, actual);
}

/// <summary>`messages-5` / Ping: round trip (encode into the reused buffer, decode, check Id) and encode only.</summary>
public class PingSerializerBenchmarks() : SerializerBenchmarks<Ping, PingCodec>(MessageSamples.Ping);

/// <summary>`messages-5` / Registration: round trip (check Slots) and encode only.</summary>
public class RegistrationSerializerBenchmarks() : SerializerBenchmarks<Registration, RegistrationCodec>(MessageSamples.Registration);

/// <summary>`messages-5` / SlotReport: round trip (check the slot count) and encode only.</summary>
public class SlotReportSerializerBenchmarks() : SerializerBenchmarks<SlotReport, SlotReportCodec>(MessageSamples.SlotReport);

/// <summary>`messages-5` / Draw: round trip (check UserId) and encode only.</summary>
public class DrawSerializerBenchmarks() : SerializerBenchmarks<Draw, DrawCodec>(MessageSamples.Draw);

/// <summary>`messages-5` / Chunk: round trip (check the payload length) and encode only.</summary>
public class ChunkSerializerBenchmarks() : SerializerBenchmarks<Chunk, ChunkCodec>(MessageSamples.Chunk);
