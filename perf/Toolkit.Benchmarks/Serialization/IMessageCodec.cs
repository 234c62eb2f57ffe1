using System.Buffers;
using System.Text.Json.Serialization.Metadata;

namespace Toolkit.Benchmarks.Serialization;

/// <summary>
/// What one `messages-5` message brings to <see cref="SerializerBenchmarks{T, TCodec}"/>: its hand-written codec,
/// its JSON metadata and a cheap check of a key field. Static members on a struct, so that the timed methods
/// call them directly: no virtual call stands between the measurement and the code measured.
/// </summary>
public interface IMessageCodec<T>
{
    static abstract JsonTypeInfo<T> Json { get; }

    static abstract void WriteHandWritten(IBufferWriter<byte> output, T value);

    static abstract T ReadHandWritten(ReadOnlySpan<byte> data);

    /// <summary>The check each round trip makes on the decoded message, so the decode cannot be optimized away.</summary>
    static abstract bool KeyMatches(T expected, T actual);

    static abstract bool Equivalent(T expected, T actual);
}
