using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace Toolkit.Benchmarks.Serialization;

/// <summary>
/// A `messages-5` benchmark: round trip (encode into one reusable buffer, decode, check a key field) and encode
/// only, for Toolkit, the hand-written codec and System.Text.Json. The setup proves that each implementation
/// round-trips the message exactly and that the hand-written bytes are the generated ones. The message's codec
/// is a struct with static members, so the timed methods call each implementation directly, without a virtual call.
/// </summary>
[Config(typeof(SerializerBenchmarkConfig))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public abstract class SerializerBenchmarks<T, TCodec> : IEncodedSizeSource
    where T : class
    where TCodec : struct, IMessageCodec<T>
{
    public const string RoundTrip = "RoundTrip";

    public const string Encode = "Encode";

    private readonly ArrayBufferWriter<byte> _buffer = new();
    private readonly RpcSerializer<T> _serializer = RpcSerializer.Get<T>();
    private readonly Utf8JsonWriter _jsonWriter;

    protected SerializerBenchmarks(T message)
    {
        Message = message;
        _jsonWriter = new Utf8JsonWriter(_buffer);
    }

    protected T Message { get; }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory(RoundTrip)]
    public bool HandWritten()
    {
        _buffer.ResetWrittenCount();
        TCodec.WriteHandWritten(_buffer, Message);
        return TCodec.KeyMatches(Message, TCodec.ReadHandWritten(_buffer.WrittenSpan));
    }

    [Benchmark]
    [BenchmarkCategory(RoundTrip)]
    public bool Toolkit()
    {
        // The registered serializer, kept as the JSON rows keep their JsonTypeInfo.
        _buffer.ResetWrittenCount();
        _serializer.Serialize(_buffer, Message);
        return TCodec.KeyMatches(Message, _serializer.Deserialize(_buffer.WrittenSpan));
    }

    [Benchmark]
    [BenchmarkCategory(RoundTrip)]
    public bool Json()
    {
        _buffer.ResetWrittenCount();
        JsonSerializer.Serialize(JsonWriterOverBuffer(), Message, TCodec.Json);
        return TCodec.KeyMatches(Message, JsonSerializer.Deserialize(_buffer.WrittenSpan, TCodec.Json)!);
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory(Encode)]
    public int HandWrittenEncode()
    {
        _buffer.ResetWrittenCount();
        TCodec.WriteHandWritten(_buffer, Message);
        return _buffer.WrittenCount;
    }

    [Benchmark]
    [BenchmarkCategory(Encode)]
    public int ToolkitEncode()
    {
        _buffer.ResetWrittenCount();
        _serializer.Serialize(_buffer, Message);
        return _buffer.WrittenCount;
    }

    [GlobalSetup]
    public void VerifyImplementations()
    {
        byte[] generated = EncodeWith(Codec.Toolkit).ToArray();
        byte[] handWritten = EncodeWith(Codec.HandWritten).ToArray();
        if (!generated.AsSpan().SequenceEqual(handWritten))
        {
            throw new InvalidOperationException(
                $"{typeof(T).Name}: the hand-written bytes differ from the generated ones ({handWritten.Length} vs {generated.Length} bytes), so it is no baseline.");
        }

        foreach (Codec codec in Enum.GetValues<Codec>())
        {
            EncodeWith(codec);
            if (!TCodec.Equivalent(Message, DecodeWith(codec, _buffer.WrittenSpan)))
            {
                throw new InvalidOperationException($"{typeof(T).Name}: {codec} does not round-trip the message.");
            }
        }
    }

    /// <inheritdoc />
    public int EncodedSize(Codec codec) => EncodeWith(codec).Length;

    private Utf8JsonWriter JsonWriterOverBuffer()
    {
        // Reset keeps the writer (no allocation per operation) and starts it on the emptied buffer.
        _jsonWriter.Reset(_buffer);
        return _jsonWriter;
    }

    private ReadOnlySpan<byte> EncodeWith(Codec codec)
    {
        _buffer.ResetWrittenCount();
        switch (codec)
        {
            case Codec.Toolkit:
                RpcSerializer.Serialize(_buffer, Message);
                break;
            case Codec.HandWritten:
                TCodec.WriteHandWritten(_buffer, Message);
                break;
            case Codec.Json:
                JsonSerializer.Serialize(JsonWriterOverBuffer(), Message, TCodec.Json);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(codec), codec, null);
        }

        return _buffer.WrittenSpan;
    }

    private T DecodeWith(Codec codec, ReadOnlySpan<byte> data) => codec switch
    {
        Codec.Toolkit => RpcSerializer.Deserialize<T>(data),
        Codec.HandWritten => TCodec.ReadHandWritten(data),
        Codec.Json => JsonSerializer.Deserialize(data, TCodec.Json) ?? throw new InvalidOperationException("JSON decoded null."),
        _ => throw new ArgumentOutOfRangeException(nameof(codec), codec, null),
    };
}
