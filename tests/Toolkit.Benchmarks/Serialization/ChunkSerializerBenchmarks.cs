using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using BenchmarkDotNet.Attributes;
using Toolkit.Benchmarks.Messages;
using Toolkit.Rpc.Serialization;

namespace Toolkit.Benchmarks.Serialization;

/// <summary>`messages-5` / Chunk: round trip (encode into the reused buffer, decode, check Data.Length) and encode only.</summary>
public class ChunkSerializerBenchmarks() : SerializerBenchmarks<Chunk>(MessageSamples.Chunk)
{
    protected override JsonTypeInfo<Chunk> JsonInfo => MessagesJsonContext.Default.Chunk;

    [Benchmark(Baseline = true)]
    [BenchmarkCategory(RoundTrip)]
    public bool HandWritten()
    {
        Buffer.ResetWrittenCount();
        HandWrittenCodec.Write(Buffer, Message);
        return HandWrittenCodec.ReadChunk(Buffer.WrittenSpan).Data.Length == Message.Data.Length;
    }

    [Benchmark]
    [BenchmarkCategory(RoundTrip)]
    public bool Toolkit()
    {
        Buffer.ResetWrittenCount();
        RpcSerializer.Serialize(Buffer, Message);
        return RpcSerializer.Deserialize<Chunk>(Buffer.WrittenSpan).Data.Length == Message.Data.Length;
    }

    [Benchmark]
    [BenchmarkCategory(RoundTrip)]
    public bool Json()
    {
        Buffer.ResetWrittenCount();
        JsonSerializer.Serialize(JsonWriterOverBuffer(), Message, MessagesJsonContext.Default.Chunk);
        return JsonSerializer.Deserialize(Buffer.WrittenSpan, MessagesJsonContext.Default.Chunk)!.Data.Length == Message.Data.Length;
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

    protected override void WriteHandWritten(IBufferWriter<byte> output, Chunk value) => HandWrittenCodec.Write(output, value);

    protected override Chunk ReadHandWritten(ReadOnlySpan<byte> data) => HandWrittenCodec.ReadChunk(data);

    protected override bool Equivalent(Chunk expected, Chunk actual) => MessageEquality.Equivalent(expected, actual);
}
