using System.Buffers;

namespace Toolkit.Rpc.Fuzz;

/// <summary>
/// Cuts input into a <see cref="ReadOnlySequence{T}"/> of equal segments, as a pipe hands a reader the bytes of several
/// reads, so that the decoders' paths across segment boundaries are fuzzed too.
/// </summary>
internal sealed class Segments : ReadOnlySequenceSegment<byte>
{
    private Segments(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    /// <summary>One segment per <paramref name="segmentLength"/> bytes; 0 (or data no longer than that) gives one segment.</summary>
    public static ReadOnlySequence<byte> Split(ReadOnlyMemory<byte> data, int segmentLength)
    {
        if (segmentLength <= 0 || data.Length <= segmentLength)
        {
            return new ReadOnlySequence<byte>(data);
        }

        Segments first = new(data[..segmentLength], 0);
        Segments last = first;
        for (int offset = segmentLength; offset < data.Length; offset += segmentLength)
        {
            Segments next = new(data[offset..Math.Min(data.Length, offset + segmentLength)], offset);
            last.Next = next;
            last = next;
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }
}
