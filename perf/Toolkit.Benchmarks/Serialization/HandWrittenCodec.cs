using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Toolkit.Benchmarks.Messages;

namespace Toolkit.Benchmarks.Serialization;

/// <summary>
/// The floor: what an expert writes by hand for exactly these five shapes, producing the same bytes as the
/// generated serializers (MemoryPack's layout). Encoding asks the buffer for one span big enough for the
/// worst case and writes into it; decoding allocates the result objects and strings and nothing else.
/// Only the checks that keep a bad input from being misread stay: the member counts and span bounds.
/// </summary>
public static class HandWrittenCodec
{
    private const int PingSize = 1 + 8 + 4 + 1;
    private const int DrawSize = 1 + 8 + 4 + 4 + 16 + 4;
    private const int GuidSize = 16;

    // Nullable<Guid>: a has-value byte, padding to Guid's 4-byte alignment, then the Guid.
    private const int NullableGuidSize = 4 + GuidSize;
    private const int ResourceProfileSize = 1 + 8 + 8;

    public static void Write(IBufferWriter<byte> output, Ping value)
    {
        Span<byte> span = output.GetSpan(PingSize);
        // Highest index first: one bounds check covers the writes below it.
        span[13] = value.Urgent ? (byte)1 : (byte)0;
        span[0] = 3;
        BinaryPrimitives.WriteInt64LittleEndian(span[1..], value.Id);
        BinaryPrimitives.WriteInt32LittleEndian(span[9..], value.Slot);
        output.Advance(PingSize);
    }

    public static Ping ReadPing(ReadOnlySpan<byte> data)
    {
        if (data.Length != PingSize || data[0] != 3)
        {
            throw Malformed(nameof(Ping));
        }

        return new Ping(BinaryPrimitives.ReadInt64LittleEndian(data[1..]), BinaryPrimitives.ReadInt32LittleEndian(data[9..]), data[13] != 0);
    }

    public static void Write(IBufferWriter<byte> output, Registration value)
    {
        int maxSize = 1 + GuidSize + MaxStringSize(value.Address) + 4 + 4;
        foreach (KeyValuePair<string, string> label in value.Labels)
        {
            maxSize += MaxStringSize(label.Key) + MaxStringSize(label.Value);
        }

        Span<byte> span = output.GetSpan(maxSize);
        span[0] = 4;
        MemoryMarshal.Write(span[1..], value.ResourceId);
        int position = 1 + GuidSize;
        position += WriteString(span[position..], value.Address);
        BinaryPrimitives.WriteInt32LittleEndian(span[position..], value.Slots);
        BinaryPrimitives.WriteInt32LittleEndian(span[(position + 4)..], value.Labels.Count);
        position += 8;
        foreach (KeyValuePair<string, string> label in value.Labels)
        {
            position += WriteString(span[position..], label.Key);
            position += WriteString(span[position..], label.Value);
        }

        output.Advance(position);
    }

    public static Registration ReadRegistration(ReadOnlySpan<byte> data)
    {
        if (data[0] != 4)
        {
            throw Malformed(nameof(Registration));
        }

        Guid resourceId = MemoryMarshal.Read<Guid>(data[1..]);
        int position = 1 + GuidSize;
        string address = ReadString(data, ref position) ?? throw Malformed(nameof(Registration));
        int slots = BinaryPrimitives.ReadInt32LittleEndian(data[position..]);
        int count = BinaryPrimitives.ReadInt32LittleEndian(data[(position + 4)..]);
        position += 8;
        if (count < 0 || count > data.Length - position)
        {
            throw Malformed(nameof(Registration));
        }

        Dictionary<string, string> labels = new(count);
        for (int i = 0; i < count; i++)
        {
            string key = ReadString(data, ref position) ?? throw Malformed(nameof(Registration));
            labels.Add(key, ReadString(data, ref position) ?? throw Malformed(nameof(Registration)));
        }

        EnsureConsumed(data, position, nameof(Registration));
        return new Registration(resourceId, address, slots, labels);
    }

    public static void Write(IBufferWriter<byte> output, SlotReport value)
    {
        SlotStatus[] slots = value.Slots;
        int maxSize = 1 + GuidSize + 4;
        foreach (SlotStatus slot in slots)
        {
            maxSize += 1 + 4 + NullableGuidSize + MaxStringSize(slot.JobId) + ResourceProfileSize;
        }

        Span<byte> span = output.GetSpan(maxSize);
        span[0] = 2;
        MemoryMarshal.Write(span[1..], value.ResourceId);
        BinaryPrimitives.WriteInt32LittleEndian(span[(1 + GuidSize)..], slots.Length);
        int position = 1 + GuidSize + 4;
        foreach (SlotStatus slot in slots)
        {
            span[position] = 4;
            BinaryPrimitives.WriteInt32LittleEndian(span[(position + 1)..], slot.Index);
            Span<byte> allocation = span.Slice(position + 5, NullableGuidSize);
            // Padding and an absent value are zeros, as MemoryPack writes them: the encoding is deterministic.
            allocation.Clear();
            if (slot.AllocationId is { } allocationId)
            {
                allocation[0] = 1;
                MemoryMarshal.Write(allocation[4..], allocationId);
            }

            position += 5 + NullableGuidSize;
            position += WriteString(span[position..], slot.JobId);
            span[position] = 2;
            BinaryPrimitives.WriteDoubleLittleEndian(span[(position + 1)..], slot.Profile.Cpu);
            BinaryPrimitives.WriteInt64LittleEndian(span[(position + 9)..], slot.Profile.MemoryMb);
            position += ResourceProfileSize;
        }

        output.Advance(position);
    }

    public static SlotReport ReadSlotReport(ReadOnlySpan<byte> data)
    {
        if (data[0] != 2)
        {
            throw Malformed(nameof(SlotReport));
        }

        Guid resourceId = MemoryMarshal.Read<Guid>(data[1..]);
        int count = BinaryPrimitives.ReadInt32LittleEndian(data[(1 + GuidSize)..]);
        int position = 1 + GuidSize + 4;
        if (count < 0 || count > data.Length - position)
        {
            throw Malformed(nameof(SlotReport));
        }

        SlotStatus[] slots = new SlotStatus[count];
        for (int i = 0; i < slots.Length; i++)
        {
            if (data[position] != 4)
            {
                throw Malformed(nameof(SlotStatus));
            }

            int index = BinaryPrimitives.ReadInt32LittleEndian(data[(position + 1)..]);
            ReadOnlySpan<byte> allocation = data.Slice(position + 5, NullableGuidSize);
            Guid? allocationId = allocation[0] switch
            {
                0 => null,
                1 => MemoryMarshal.Read<Guid>(allocation[4..]),
                _ => throw Malformed(nameof(SlotStatus)),
            };
            position += 5 + NullableGuidSize;
            string? jobId = ReadString(data, ref position);
            if (data[position] != 2)
            {
                throw Malformed(nameof(ResourceProfile));
            }

            ResourceProfile profile = new(
                BinaryPrimitives.ReadDoubleLittleEndian(data[(position + 1)..]),
                BinaryPrimitives.ReadInt64LittleEndian(data[(position + 9)..]));
            position += ResourceProfileSize;
            slots[i] = new SlotStatus(index, allocationId, jobId, profile);
        }

        EnsureConsumed(data, position, nameof(SlotReport));
        return new SlotReport(resourceId, slots);
    }

    public static void Write(IBufferWriter<byte> output, Draw value)
    {
        Span<byte> span = output.GetSpan(DrawSize);
        BinaryPrimitives.WriteInt32LittleEndian(span[33..], (int)value.Kind);
        span[0] = 5;
        BinaryPrimitives.WriteInt64LittleEndian(span[1..], value.UserId);
        BinaryPrimitives.WriteInt32LittleEndian(span[9..], value.ActivityId);
        BinaryPrimitives.WriteInt32LittleEndian(span[13..], value.Shakes);
        // DateTimeOffset: its offset in minutes, 4 bytes of zero padding, then its UTC ticks.
        BinaryPrimitives.WriteInt32LittleEndian(span[17..], value.At.TotalOffsetMinutes);
        BinaryPrimitives.WriteInt32LittleEndian(span[21..], 0);
        BinaryPrimitives.WriteInt64LittleEndian(span[25..], value.At.UtcTicks);
        output.Advance(DrawSize);
    }

    public static Draw ReadDraw(ReadOnlySpan<byte> data)
    {
        if (data.Length != DrawSize || data[0] != 5)
        {
            throw Malformed(nameof(Draw));
        }

        int offsetMinutes = BinaryPrimitives.ReadInt32LittleEndian(data[17..]);
        DateTimeOffset at = new(
            BinaryPrimitives.ReadInt64LittleEndian(data[25..]) + (offsetMinutes * TimeSpan.TicksPerMinute),
            TimeSpan.FromMinutes(offsetMinutes));
        return new Draw(
            BinaryPrimitives.ReadInt64LittleEndian(data[1..]),
            BinaryPrimitives.ReadInt32LittleEndian(data[9..]),
            BinaryPrimitives.ReadInt32LittleEndian(data[13..]),
            at,
            (DrawKind)BinaryPrimitives.ReadInt32LittleEndian(data[33..]));
    }

    public static void Write(IBufferWriter<byte> output, Chunk value)
    {
        ReadOnlySpan<byte> payload = value.Data.Span;
        int size = 1 + 8 + 4 + payload.Length;
        Span<byte> span = output.GetSpan(size);
        span[0] = 2;
        BinaryPrimitives.WriteInt64LittleEndian(span[1..], value.Offset);
        BinaryPrimitives.WriteInt32LittleEndian(span[9..], payload.Length);
        payload.CopyTo(span[13..]);
        output.Advance(size);
    }

    public static Chunk ReadChunk(ReadOnlySpan<byte> data)
    {
        if (data[0] != 2)
        {
            throw Malformed(nameof(Chunk));
        }

        long offset = BinaryPrimitives.ReadInt64LittleEndian(data[1..]);
        int length = BinaryPrimitives.ReadInt32LittleEndian(data[9..]);
        if (length != data.Length - 13)
        {
            throw Malformed(nameof(Chunk));
        }

        // The input buffer is reused, so the payload must be copied out: one array, as the generated reader does.
        return new Chunk(offset, data[13..].ToArray());
    }

    // A UTF-16 char never takes more than three UTF-8 bytes; 8 bytes of header (~byteCount, charCount).
    private static int MaxStringSize(string? value) => value is null ? 4 : 8 + (value.Length * 3);

    private static int WriteString(Span<byte> destination, string? value)
    {
        if (value is null)
        {
            BinaryPrimitives.WriteInt32LittleEndian(destination, -1);
            return 4;
        }

        if (value.Length == 0)
        {
            BinaryPrimitives.WriteInt32LittleEndian(destination, 0);
            return 4;
        }

        int byteCount = Encoding.UTF8.GetBytes(value, destination[8..]);
        BinaryPrimitives.WriteInt32LittleEndian(destination, ~byteCount);
        BinaryPrimitives.WriteInt32LittleEndian(destination[4..], value.Length);
        return 8 + byteCount;
    }

    private static string? ReadString(ReadOnlySpan<byte> data, ref int position)
    {
        int header = BinaryPrimitives.ReadInt32LittleEndian(data[position..]);
        if (header == -1)
        {
            position += 4;
            return null;
        }

        if (header >= 0)
        {
            // The UTF-16 form (a char count, then the chars); the writer above never emits it, readers must accept it.
            string utf16 = new(MemoryMarshal.Cast<byte, char>(data.Slice(position + 4, checked(header * 2))));
            position += 4 + (header * 2);
            return utf16;
        }

        int byteCount = ~header;
        string value = Encoding.UTF8.GetString(data.Slice(position + 8, byteCount));
        position += 8 + byteCount;
        return value;
    }

    private static void EnsureConsumed(ReadOnlySpan<byte> data, int position, string message)
    {
        if (position != data.Length)
        {
            throw Malformed(message);
        }
    }

    private static InvalidDataException Malformed(string message) => new($"Malformed {message}.");
}
