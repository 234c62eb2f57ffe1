using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using BenchmarkDotNet.Attributes;
using Toolkit.Benchmarks.Messages;
using Toolkit.Rpc.Serialization;

namespace Toolkit.Benchmarks.Serialization;

/// <summary>`messages-5` / Ping: round trip (encode into the reused buffer, decode, check Id) and encode only.</summary>
public class PingSerializerBenchmarks() : SerializerBenchmarks<Ping>(MessageSamples.Ping)
{
    protected override JsonTypeInfo<Ping> JsonInfo => MessagesJsonContext.Default.Ping;

    [Benchmark(Baseline = true)]
    [BenchmarkCategory(RoundTrip)]
    public bool HandWritten()
    {
        Buffer.ResetWrittenCount();
        HandWrittenCodec.Write(Buffer, Message);
        return HandWrittenCodec.ReadPing(Buffer.WrittenSpan).Id == Message.Id;
    }

    [Benchmark]
    [BenchmarkCategory(RoundTrip)]
    public bool Toolkit()
    {
        Buffer.ResetWrittenCount();
        RpcSerializer.Serialize(Buffer, Message);
        return RpcSerializer.Deserialize<Ping>(Buffer.WrittenSpan).Id == Message.Id;
    }

    [Benchmark]
    [BenchmarkCategory(RoundTrip)]
    public bool Json()
    {
        Buffer.ResetWrittenCount();
        JsonSerializer.Serialize(JsonWriterOverBuffer(), Message, MessagesJsonContext.Default.Ping);
        return JsonSerializer.Deserialize(Buffer.WrittenSpan, MessagesJsonContext.Default.Ping)!.Id == Message.Id;
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

    protected override void WriteHandWritten(IBufferWriter<byte> output, Ping value) => HandWrittenCodec.Write(output, value);

    protected override Ping ReadHandWritten(ReadOnlySpan<byte> data) => HandWrittenCodec.ReadPing(data);

    protected override bool Equivalent(Ping expected, Ping actual) => MessageEquality.Equivalent(expected, actual);
}
