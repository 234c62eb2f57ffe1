using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using BenchmarkDotNet.Attributes;
using Toolkit.Benchmarks.Messages;
using Toolkit.Rpc.Serialization;

namespace Toolkit.Benchmarks.Serialization;

/// <summary>`messages-5` / Registration: round trip (encode into the reused buffer, decode, check Slots) and encode only.</summary>
public class RegistrationSerializerBenchmarks() : SerializerBenchmarks<Registration>(MessageSamples.Registration)
{
    protected override JsonTypeInfo<Registration> JsonInfo => MessagesJsonContext.Default.Registration;

    [Benchmark(Baseline = true)]
    [BenchmarkCategory(RoundTrip)]
    public bool HandWritten()
    {
        Buffer.ResetWrittenCount();
        HandWrittenCodec.Write(Buffer, Message);
        return HandWrittenCodec.ReadRegistration(Buffer.WrittenSpan).Slots == Message.Slots;
    }

    [Benchmark]
    [BenchmarkCategory(RoundTrip)]
    public bool Toolkit()
    {
        Buffer.ResetWrittenCount();
        RpcSerializer.Serialize(Buffer, Message);
        return RpcSerializer.Deserialize<Registration>(Buffer.WrittenSpan).Slots == Message.Slots;
    }

    [Benchmark]
    [BenchmarkCategory(RoundTrip)]
    public bool Json()
    {
        Buffer.ResetWrittenCount();
        JsonSerializer.Serialize(JsonWriterOverBuffer(), Message, MessagesJsonContext.Default.Registration);
        return JsonSerializer.Deserialize(Buffer.WrittenSpan, MessagesJsonContext.Default.Registration)!.Slots == Message.Slots;
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

    protected override void WriteHandWritten(IBufferWriter<byte> output, Registration value) => HandWrittenCodec.Write(output, value);

    protected override Registration ReadHandWritten(ReadOnlySpan<byte> data) => HandWrittenCodec.ReadRegistration(data);

    protected override bool Equivalent(Registration expected, Registration actual) => MessageEquality.Equivalent(expected, actual);
}
