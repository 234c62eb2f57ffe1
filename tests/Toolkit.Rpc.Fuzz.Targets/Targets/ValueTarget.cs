using System.Buffers;

namespace Toolkit.Rpc.Fuzz;

/// <summary>
/// Bytes read as a message by its generated deserializer, through <see cref="RpcSerializer"/> as users call it: they
/// are rejected with <see cref="RpcSerializationException"/>, or read into a value whose encoding reads back to itself
/// (<see cref="ValueCodec.Check"/>). Anything else is a finding.
/// </summary>
/// <remarks>Input: one byte that picks the type in <see cref="ValueCodec.All"/> (modulo their count), then its encoding.</remarks>
public static class ValueTarget
{
    public static bool Run(ReadOnlyMemory<byte> input)
    {
        if (input.IsEmpty)
        {
            return false;
        }

        ValueCodec codec = ValueCodec.All[input.Span[0] % ValueCodec.All.Count];
        return codec.Check(new ReadOnlySequence<byte>(input[1..]));
    }
}
