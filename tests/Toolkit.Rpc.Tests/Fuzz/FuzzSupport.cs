using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using Toolkit.Rpc.Transport.Protocol;
using Xunit.Abstractions;

namespace Toolkit.Rpc.Tests.Fuzz;

/// <summary>
/// Seeds and bounds of the fuzz tests. Every test runs until its time budget or its iteration cap, whichever comes
/// first, from a fixed seed unless <c>TOOLKIT_FUZZ_SEED</c> sets another; <c>TOOLKIT_FUZZ_SCALE</c> multiplies both
/// bounds for longer local runs (<c>TOOLKIT_FUZZ_SCALE=20 TOOLKIT_FUZZ_SEED=$RANDOM dotnet test --filter Fuzz</c>).
/// </summary>
internal static class Fuzz
{
    public const string SeedVariable = "TOOLKIT_FUZZ_SEED";
    public const string ScaleVariable = "TOOLKIT_FUZZ_SCALE";

    public static double Scale =>
        double.TryParse(Environment.GetEnvironmentVariable(ScaleVariable), NumberStyles.Float, CultureInfo.InvariantCulture, out double scale) && scale > 0 ? scale : 1;

    /// <summary>The seed of a test: its fixed default, or <c>TOOLKIT_FUZZ_SEED</c>; written to the test output either way.</summary>
    public static int Seed(ITestOutputHelper output, int defaultSeed)
    {
        int seed = int.TryParse(Environment.GetEnvironmentVariable(SeedVariable), NumberStyles.Integer, CultureInfo.InvariantCulture, out int chosen) ? chosen : defaultSeed;
        output.WriteLine($"seed {seed} (rerun with {SeedVariable}={seed})");
        return seed;
    }

    /// <summary>How to name a failing input so that it can be replayed.</summary>
    public static string Replay(int seed, int iteration) => $"seed {seed}, iteration {iteration} (rerun with {SeedVariable}={seed})";

    /// <summary>Runs <paramref name="body"/> until the time budget or the iteration cap is spent; returns the iterations run.</summary>
    /// <remarks>The loop of <see cref="RunAsync"/>, whose every await then finds its task complete: it never blocks.</remarks>
    public static int Run(ITestOutputHelper output, TimeSpan budget, int cap, Action<int> body) =>
        RunAsync(output, budget, cap, iteration =>
        {
            body(iteration);
            return Task.CompletedTask;
        }).GetAwaiter().GetResult();

    /// <summary>The asynchronous form of <see cref="Run"/>.</summary>
    public static async Task<int> RunAsync(ITestOutputHelper output, TimeSpan budget, int cap, Func<int, Task> body)
    {
        Stopwatch clock = Stopwatch.StartNew();
        TimeSpan scaledBudget = budget * Scale;
        long scaledCap = (long)(cap * Scale);
        int iteration = 0;
        while (iteration < scaledCap && clock.Elapsed < scaledBudget)
        {
            await body(iteration);
            iteration++;
        }

        output.WriteLine($"{iteration} iterations in {clock.Elapsed.TotalMilliseconds:0} ms (budget {scaledBudget.TotalMilliseconds:0} ms, cap {scaledCap})");
        return iteration;
    }

    public static string Hex(ReadOnlySpan<byte> bytes, int max = 160) =>
        bytes.Length <= max ? Convert.ToHexString(bytes) : $"{Convert.ToHexString(bytes[..max])}…({bytes.Length} bytes)";
}

/// <summary>Byte-level mutations of valid encodings, in the style of the serializer's hostile-input tests.</summary>
internal static class Mutate
{
    /// <summary>Values that sit on the edges of the wire layout: lengths, null markers, union headers, bools.</summary>
    public static readonly byte[] InterestingBytes = [0x00, 0x01, 0x02, 0x7F, 0x80, 0xF9, 0xFA, 0xFB, 0xFE, 0xFF];

    public static readonly int[] InterestingInts = [0, 1, -1, -2, 2, 4, 8, 255, 256, 1024, short.MaxValue, 65_536, int.MaxValue, int.MinValue, int.MaxValue - 3, int.MaxValue / 2];

    public static byte[] RandomBytes(Random random, int maxLength)
    {
        byte[] bytes = new byte[random.Next(0, maxLength + 1)];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>One random mutation somewhere in <paramref name="from"/>..end of <paramref name="bytes"/>.</summary>
    public static byte[] Once(Random random, byte[] bytes, int from = 0)
    {
        if (bytes.Length <= from)
        {
            return [.. bytes, .. RandomBytes(random, 8)];
        }

        byte[] mutated = [.. bytes];
        int position = random.Next(from, mutated.Length);
        switch (random.Next(8))
        {
            case 0:
                mutated[position] = InterestingBytes[random.Next(InterestingBytes.Length)];
                return mutated;
            case 1:
                mutated[position] ^= (byte)(1 << random.Next(8));
                return mutated;
            case 2:
                mutated[position] = (byte)random.Next(256);
                return mutated;
            case 3 when mutated.Length - position >= 4:
                BinaryPrimitives.WriteInt32LittleEndian(mutated.AsSpan(position), InterestingInts[random.Next(InterestingInts.Length)]);
                return mutated;
            case 4:
                // Cut short.
                return mutated[..position];
            case 5:
                // Bytes inserted.
                return [.. mutated[..position], .. RandomBytes(random, 6), .. mutated[position..]];
            case 6:
                // Bytes removed.
                return [.. mutated[..position], .. mutated[Math.Min(mutated.Length, position + 1 + random.Next(4))..]];
            default:
                // A run of one byte (a string, a length, a tag overwritten).
                mutated.AsSpan(position, Math.Min(mutated.Length - position, 1 + random.Next(6))).Fill(InterestingBytes[random.Next(InterestingBytes.Length)]);
                return mutated;
        }
    }

    /// <summary>One to <paramref name="max"/> mutations.</summary>
    public static byte[] Some(Random random, byte[] bytes, int from = 0, int max = 3)
    {
        int count = 1 + random.Next(max);
        for (int i = 0; i < count; i++)
        {
            bytes = Once(random, bytes, from);
        }

        return bytes;
    }

    /// <summary>A whole frame whose body was mutated and whose length prefix was fixed up to match, so that it parses as a frame.</summary>
    public static byte[] Body(Random random, byte[] frame, int bodyFrom = 0)
    {
        byte[] body = Some(random, frame[Frames.HeaderSize..], bodyFrom);
        return WireFrames.Frame((FrameType)frame[4], body);
    }
}

/// <summary>
/// A <see cref="ReadOnlySequence{T}"/> cut into random segments, some empty, each in its own array with poison
/// bytes after its end, so that a decoder that reads past a segment sees garbage instead of the next bytes.
/// </summary>
internal sealed class Segment : ReadOnlySequenceSegment<byte>
{
    private Segment(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    public static ReadOnlySequence<byte> Split(byte[] data, Random random, int maxSegments = 8)
    {
        int cuts = random.Next(0, Math.Min(maxSegments, data.Length + 2));
        List<int> points = [0, data.Length];
        for (int i = 0; i < cuts; i++)
        {
            // Duplicate points make empty segments, which a sequence may hold.
            points.Add(random.Next(0, data.Length + 1));
        }

        points.Sort();
        Segment? first = null;
        Segment? last = null;
        for (int i = 0; i + 1 < points.Count; i++)
        {
            int length = points[i + 1] - points[i];
            byte[] array = new byte[length + 4];
            array.AsSpan(length).Fill(0xCC);
            data.AsSpan(points[i], length).CopyTo(array);
            Segment segment = new(array.AsMemory(0, length), points[i]);
            if (last is null)
            {
                first = segment;
            }
            else
            {
                last.Next = segment;
            }

            last = segment;
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }
}

/// <summary>
/// The frame layout written out independently of <see cref="Frames"/>: <c>int32 length</c> of what follows
/// (little-endian), one type byte, the body. The fuzz tests compare <see cref="Frames.TryRead"/> with it.
/// </summary>
internal static class WireFrames
{
    public static byte[] Frame(FrameType type, ReadOnlySpan<byte> body)
    {
        byte[] frame = new byte[Frames.HeaderSize + body.Length];
        BinaryPrimitives.WriteInt32LittleEndian(frame, body.Length + 1);
        frame[4] = (byte)type;
        body.CopyTo(frame.AsSpan(Frames.HeaderSize));
        return frame;
    }

    /// <summary>
    /// What the specification says of the bytes at the front of <paramref name="data"/>: a complete frame (with how
    /// many bytes it takes), not enough bytes yet, or a length that no frame may declare under <paramref name="maxFrameSize"/>.
    /// </summary>
    public static Parsed Parse(ReadOnlySpan<byte> data, int maxFrameSize)
    {
        if (data.Length < Frames.HeaderSize)
        {
            return Parsed.Incomplete;
        }

        long length = BinaryPrimitives.ReadInt32LittleEndian(data);
        // The whole frame, prefix included, must fit the limit; the type byte makes at least 1.
        if (length < 1 || length + 4 > maxFrameSize)
        {
            return Parsed.Impossible;
        }

        if (data.Length - 4 < length)
        {
            return Parsed.Incomplete;
        }

        return new Parsed(ParsedKind.Frame, (FrameType)data[4], 4 + (int)length);
    }

    internal enum ParsedKind
    {
        Frame,
        Incomplete,
        Impossible,
    }

    internal readonly record struct Parsed(ParsedKind Kind, FrameType Type, int Size)
    {
        public static Parsed Incomplete => new(ParsedKind.Incomplete, default, 0);

        public static Parsed Impossible => new(ParsedKind.Impossible, default, 0);
    }
}
