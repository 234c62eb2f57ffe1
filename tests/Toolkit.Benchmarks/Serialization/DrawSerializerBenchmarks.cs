using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using BenchmarkDotNet.Attributes;
using Toolkit.Benchmarks.Messages;
using Toolkit.Rpc.Serialization;

namespace Toolkit.Benchmarks.Serialization;

/// <summary>`messages-5` / Draw: round trip (encode into the reused buffer, decode, check UserId) and encode only.</summary>
public class DrawSerializerBenchmarks() : SerializerBenchmarks<Draw>(MessageSamples.Draw)
{
    protected override JsonTypeInfo<Draw> JsonInfo => MessagesJsonContext.Default.Draw;

    [Benchmark(Baseline = true)]
    [BenchmarkCategory(RoundTrip)]
    public bool HandWritten()
    {
        Buffer.ResetWrittenCount();
        HandWrittenCodec.Write(Buffer, Message);
        return HandWrittenCodec.ReadDraw(Buffer.WrittenSpan).UserId == Message.UserId;
    }

    [Benchmark]
    [BenchmarkCategory(RoundTrip)]
    public bool Toolkit()
    {
        Buffer.ResetWrittenCount();
        RpcSerializer.Serialize(Buffer, Message);
        return RpcSerializer.Deserialize<Draw>(Buffer.WrittenSpan).UserId == Message.UserId;
    }

    [Benchmark]
    [BenchmarkCategory(RoundTrip)]
    public bool Json()
    {
        Buffer.ResetWrittenCount();
        JsonSerializer.Serialize(JsonWriterOverBuffer(), Message, MessagesJsonContext.Default.Draw);
        return JsonSerializer.Deserialize(Buffer.WrittenSpan, MessagesJsonContext.Default.Draw)!.UserId == Message.UserId;
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

    protected override void WriteHandWritten(IBufferWriter<byte> output, Draw value) => HandWrittenCodec.Write(output, value);

    protected override Draw ReadHandWritten(ReadOnlySpan<byte> data) => HandWrittenCodec.ReadDraw(data);

    protected override bool Equivalent(Draw expected, Draw actual) => MessageEquality.Equivalent(expected, actual);
}
