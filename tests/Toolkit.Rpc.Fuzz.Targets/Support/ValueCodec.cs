using System.Buffers;
using Toolkit.Rpc.Fuzz.Messages;

namespace Toolkit.Rpc.Fuzz;

/// <summary>
/// The generated serializer of one message type, driven through the public <see cref="RpcSerializer"/> API as users
/// call it. <see cref="Check"/> is the value target's oracle: bytes are either rejected with
/// <see cref="RpcSerializationException"/> or read into a value whose encoding reads back to the same encoding.
/// </summary>
public abstract class ValueCodec
{
    /// <summary>
    /// Every fuzzed message type; an input's first byte picks one. Append only: saved inputs depend on the order.
    /// (Strings, lists and dictionaries have no serializer of their own: they are read inside these, and as the
    /// arguments of the frame target's requests.)
    /// </summary>
    public static IReadOnlyList<ValueCodec> All { get; } =
    [
        new Codec<Ping>(),
        new Codec<Scalars>(),
        new Codec<Times>(),
        new Codec<Nullables>(),
        new Codec<Text>(),
        new Codec<Arrays>(),
        new Codec<Collections>(),
        new Codec<Blob>(),
        new Codec<Shape?>(),
        new Codec<Drawing>(),
        new Codec<Node?>(),
        new Codec<Tree>(),
        new Codec<Profile>(),
        new Codec<Settings?>(),
        new Codec<Sample>(),
        new Codec<Versioned>(),
        new Codec<Catalog?>(),
        new Codec<Subscription>(),
    ];

    public abstract Type Type { get; }

    /// <summary>Reads <paramref name="data"/>; when it is accepted, checks that the value's encoding is a fixed point. False when rejected.</summary>
    public abstract bool Check(in ReadOnlySequence<byte> data);

    /// <summary>Reads <paramref name="data"/> as the result of a call would be read, or lets the rejection escape.</summary>
    public abstract void Read(in ReadOnlySequence<byte> data);

    /// <summary>Encodes <paramref name="value"/> (of <see cref="Type"/>), for the seed corpus.</summary>
    public abstract byte[] Encode(object? value);

    private sealed class Codec<T> : ValueCodec
    {
        public override Type Type => typeof(T);

        public override bool Check(in ReadOnlySequence<byte> data)
        {
            T value;
            try
            {
                value = RpcSerializer.Deserialize<T>(data, FuzzContext.Instance);
            }
            catch (RpcSerializationException)
            {
                return false;
            }

            // Accepted: writing it must succeed, and what is written must read back to a value written the same way.
            // (Not compared with the input: a string read as UTF-16 is written as UTF-8.)
            byte[] first = RpcSerializer.Serialize(value, FuzzContext.Instance);
            byte[] second;
            try
            {
                second = RpcSerializer.Serialize(RpcSerializer.Deserialize<T>(first, FuzzContext.Instance), FuzzContext.Instance);
            }
            catch (RpcSerializationException exception)
            {
                throw new FuzzContractViolation($"a {typeof(T).Name} that was read and written again could not be read back: {exception.Message}", exception);
            }

            if (!first.AsSpan().SequenceEqual(second))
            {
                throw new FuzzContractViolation(
                    $"a {typeof(T).Name} read back from its own encoding encodes differently: {Convert.ToHexString(first)} then {Convert.ToHexString(second)}");
            }

            return true;
        }

        public override void Read(in ReadOnlySequence<byte> data) => RpcSerializer.Deserialize<T>(data, FuzzContext.Instance);

        public override byte[] Encode(object? value) => RpcSerializer.Serialize((T)value!, FuzzContext.Instance);
    }
}
