using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using BenchmarkDotNet.Attributes;
using Toolkit.Benchmarks.Messages;
using Toolkit.Rpc.Serialization;

namespace Toolkit.Benchmarks.Serialization;

/// <summary>`messages-5` / SlotReport: round trip (encode into the reused buffer, decode, check Slots.Length) and encode only.</summary>
public class SlotReportSerializerBenchmarks() : SerializerBenchmarks<SlotReport>(MessageSamples.SlotReport)
{
    protected override JsonTypeInfo<SlotReport> JsonInfo => MessagesJsonContext.Default.SlotReport;

    [Benchmark(Baseline = true)]
    [BenchmarkCategory(RoundTrip)]
    public bool HandWritten()
    {
        Buffer.ResetWrittenCount();
        HandWrittenCodec.Write(Buffer, Message);
        return HandWrittenCodec.ReadSlotReport(Buffer.WrittenSpan).Slots.Length == Message.Slots.Length;
    }

    [Benchmark]
    [BenchmarkCategory(RoundTrip)]
    public bool Toolkit()
    {
        Buffer.ResetWrittenCount();
        RpcSerializer.Serialize(Buffer, Message);
        return RpcSerializer.Deserialize<SlotReport>(Buffer.WrittenSpan).Slots.Length == Message.Slots.Length;
    }

    [Benchmark]
    [BenchmarkCategory(RoundTrip)]
    public bool Json()
    {
        Buffer.ResetWrittenCount();
        JsonSerializer.Serialize(JsonWriterOverBuffer(), Message, MessagesJsonContext.Default.SlotReport);
        return JsonSerializer.Deserialize(Buffer.WrittenSpan, MessagesJsonContext.Default.SlotReport)!.Slots.Length == Message.Slots.Length;
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory(Encode)]
    public int HandWrittenEncode()
    {
        Buffer.ResetWrittenCount();
        HandWrittenCodec.Write(Buffer, Message);
        return Buffer.WrittenCount;
    }

    [Benchmark]
    [BenchmarkCategory(Encode)]
    public int ToolkitEncode()
    {
        Buffer.ResetWrittenCount();
        RpcSerializer.Serialize(Buffer, Message);
        return Buffer.WrittenCount;
    }

    protected override void WriteHandWritten(IBufferWriter<byte> output, SlotReport value) => HandWrittenCodec.Write(output, value);

    protected override SlotReport ReadHandWritten(ReadOnlySpan<byte> data) => HandWrittenCodec.ReadSlotReport(data);

    protected override bool Equivalent(SlotReport expected, SlotReport actual) => MessageEquality.Equivalent(expected, actual);
}
