using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Toolkit.Rpc.Serialization;

namespace Toolkit.Benchmarks.Serialization;

/// <summary>
/// What every `messages-5` benchmark shares: one reusable buffer and JSON writer, and a setup that proves each
/// implementation round-trips the message exactly and that the hand-written bytes are the generated ones.
/// The timed methods live in the derived classes and call each codec directly, so that no virtual call
/// stands between the measurement and the code measured.
/// </summary>
[Config(typeof(SerializerBenchmarkConfig))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public abstract class SerializerBenchmarks<T> : IEncodedSizeSource
    where T : class
{
    public const string RoundTrip = "RoundTrip";

    public const string Encode = "Encode";

    private readonly ArrayBufferWriter<byte> _buffer = new();
    private readonly Utf8JsonWriter _jsonWriter;

    protected SerializerBenchmarks(T message)
    {
        Message = message;
        _jsonWriter = new Utf8JsonWriter(_buffer);
    }

    protected T Message { get; }

    protected abstract JsonTypeInfo<T> JsonInfo { get; }

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
            if (!Equivalent(Message, DecodeWith(codec, Buffer.WrittenSpan)))
            {
                throw new InvalidOperationException($"{typeof(T).Name}: {codec} does not round-trip the message.");
            }
        }
    }

    /// <inheritdoc />
    public int EncodedSize(Codec codec) => EncodeWith(codec).Length;

    protected ArrayBufferWriter<byte> Buffer => _buffer;

    protected Utf8JsonWriter JsonWriterOverBuffer()
    {
        // Reset keeps the writer (no allocation per operation) and starts it on the emptied buffer.
        _jsonWriter.Reset(_buffer);
        return _jsonWriter;
    }

    protected abstract void WriteHandWritten(IBufferWriter<byte> output, T value);

    protected abstract T ReadHandWritten(ReadOnlySpan<byte> data);

    protected abstract bool Equivalent(T expected, T actual);

    private ReadOnlySpan<byte> EncodeWith(Codec codec)
    {
        _buffer.ResetWrittenCount();
        switch (codec)
        {
            case Codec.Toolkit:
                RpcSerializer.Serialize(_buffer, Message);
                break;
            case Codec.HandWritten:
                WriteHandWritten(_buffer, Message);
                break;
            case Codec.Json:
                JsonSerializer.Serialize(JsonWriterOverBuffer(), Message, JsonInfo);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(codec), codec, null);
        }

        return _buffer.WrittenSpan;
    }

    private T DecodeWith(Codec codec, ReadOnlySpan<byte> data) => codec switch
    {
        Codec.Toolkit => RpcSerializer.Deserialize<T>(data),
        Codec.HandWritten => ReadHandWritten(data),
        Codec.Json => JsonSerializer.Deserialize(data, JsonInfo) ?? throw new InvalidOperationException("JSON decoded null."),
        _ => throw new ArgumentOutOfRangeException(nameof(codec), codec, null),
    };
}
