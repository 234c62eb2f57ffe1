using System.Buffers;

namespace Toolkit.Rpc.Tests.Serialization;

/// <summary>Encodes and decodes through the generated serializers.</summary>
public static class RoundTrip
{
    /// <summary>Serializes <paramref name="value"/> and reads it back from the bytes.</summary>
    public static T Of<T>(T value) => RpcSerializer.Deserialize<T>(RpcSerializer.Serialize(value));

    /// <summary>Round-trips <paramref name="value"/> and asserts the result equals it member by member.</summary>
    public static T AssertRoundTrips<T>(T value)
    {
        T copy = Of(value);
        StructuralEquality.AssertEqual(value, copy);
        return copy;
    }

    /// <summary>Reads <paramref name="bytes"/> split into one segment per byte, as a frame that arrived in pieces.</summary>
    public static T FromSegments<T>(byte[] bytes)
    {
        Segment first = new(bytes.AsMemory(0, Math.Min(1, bytes.Length)), 0);
        Segment last = first;
        for (int i = 1; i < bytes.Length; i++)
        {
            last = last.Append(bytes.AsMemory(i, 1));
        }

        return RpcSerializer.Deserialize<T>(new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length));
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            Segment next = new(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
