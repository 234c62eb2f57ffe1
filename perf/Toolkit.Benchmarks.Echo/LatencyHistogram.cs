using System.Diagnostics;

namespace Toolkit.Benchmarks.Echo;

/// <summary>
/// Latencies in 100 ns buckets from 0 up to 100 ms, plus one overflow bucket for everything at or above 100 ms
/// (docs/performance.md#echo-64). Bucket <c>i</c> holds latencies in [<c>i</c>·100 ns, (<c>i</c>+1)·100 ns); a
/// percentile is the upper edge of the bucket that holds the ceil(p·N)-th smallest latency. The mean is exact (the
/// sum of the recorded nanoseconds, not of bucket edges).
/// </summary>
/// <remarks>
/// Not thread-safe: each closed loop records into its own histogram and <see cref="Merge"/> combines them once the
/// run is over, so recording never contends. The million buckets are stored in pages of 1024 32-bit counts (4 KiB),
/// allocated on first use, so that a loop holds only the pages its latencies fall in, not 4 MB. Pages allocated
/// while measuring would be long-lived garbage for the GC of the measured process (promoted through gen1 into
/// gen2): the constructor can allocate the pages where most latencies fall beforehand.
/// </remarks>
public sealed class LatencyHistogram
{
    /// <summary>The width of one bucket, in nanoseconds.</summary>
    public const long BucketWidthNanoseconds = 100;

    /// <summary>The first latency that goes to the overflow bucket: 100 ms.</summary>
    public const long RangeNanoseconds = 100_000_000;

    /// <summary>The number of regular (non-overflow) buckets.</summary>
    public const int BucketCount = (int)(RangeNanoseconds / BucketWidthNanoseconds);

    private const int PageShift = 10;
    private const int PageSize = 1 << PageShift;
    private const int PageCount = (BucketCount + PageSize - 1) / PageSize;

    private readonly int[]?[] _pages = new int[]?[PageCount];

    /// <summary>Creates an empty histogram whose pages for latencies below <paramref name="preallocateBelowNanoseconds"/> exist already.</summary>
    public LatencyHistogram(long preallocateBelowNanoseconds = 0)
    {
        long buckets = Math.Clamp(preallocateBelowNanoseconds, 0, RangeNanoseconds) / BucketWidthNanoseconds;
        for (int index = 0; index < (buckets + PageSize - 1) / PageSize; index++)
        {
            _pages[index] = new int[PageSize];
        }
    }

    /// <summary>How many 4 KiB pages of buckets are allocated.</summary>
    public int AllocatedPages => _pages.Count(static page => page is not null);

    /// <summary>How many latencies were recorded, the overflow bucket included.</summary>
    public long Count { get; private set; }

    /// <summary>How many latencies were at or above <see cref="RangeNanoseconds"/>.</summary>
    public long OverflowCount { get; private set; }

    /// <summary>The sum of all recorded latencies, in nanoseconds.</summary>
    public long TotalNanoseconds { get; private set; }

    /// <summary>The largest recorded latency, in nanoseconds; 0 when nothing was recorded.</summary>
    public long MaxNanoseconds { get; private set; }

    /// <summary>The exact mean latency in microseconds; NaN when nothing was recorded.</summary>
    public double MeanMicroseconds => Count == 0 ? double.NaN : TotalNanoseconds / (double)Count / 1000.0;

    /// <summary>Converts a <see cref="Stopwatch.GetTimestamp"/> difference to nanoseconds.</summary>
    public static long TicksToNanoseconds(long ticks) =>
        Stopwatch.Frequency == 1_000_000_000 ? ticks : (long)(ticks * (1_000_000_000.0 / Stopwatch.Frequency));

    /// <summary>Records one latency of <paramref name="nanoseconds"/> (negative values count as 0).</summary>
    public void Record(long nanoseconds)
    {
        if (nanoseconds < 0)
        {
            nanoseconds = 0;
        }

        Count++;
        TotalNanoseconds += nanoseconds;
        if (nanoseconds > MaxNanoseconds)
        {
            MaxNanoseconds = nanoseconds;
        }

        if (nanoseconds >= RangeNanoseconds)
        {
            OverflowCount++;
            return;
        }

        int bucket = (int)(nanoseconds / BucketWidthNanoseconds);
        int[] page = _pages[bucket >> PageShift] ??= new int[PageSize];
        page[bucket & (PageSize - 1)]++;
    }

    /// <summary>How many latencies the regular bucket <paramref name="bucket"/> holds.</summary>
    public long CountInBucket(int bucket)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bucket);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(bucket, BucketCount);
        return _pages[bucket >> PageShift] is { } page ? page[bucket & (PageSize - 1)] : 0;
    }

    /// <summary>
    /// How many latencies were at or above <paramref name="nanoseconds"/>, counted by bucket: those in the buckets that
    /// start at or above it, and the overflow bucket. Exact when <paramref name="nanoseconds"/> is a bucket edge, such
    /// as twice a percentile; otherwise the bucket holding it is left out.
    /// </summary>
    public long CountAtOrAbove(long nanoseconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nanoseconds);
        long first = (nanoseconds + BucketWidthNanoseconds - 1) / BucketWidthNanoseconds;
        long count = OverflowCount;
        for (long bucket = first; bucket < BucketCount; bucket += PageSize - (bucket & (PageSize - 1)))
        {
            if (_pages[bucket >> PageShift] is not { } page)
            {
                continue;
            }

            for (long slot = bucket & (PageSize - 1); slot < PageSize; slot++)
            {
                count += page[slot];
            }
        }

        return count;
    }

    /// <summary>Adds every count of <paramref name="other"/> to this histogram.</summary>
    public void Merge(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (int index = 0; index < PageCount; index++)
        {
            if (other._pages[index] is not { } source)
            {
                continue;
            }

            int[] target = _pages[index] ??= new int[PageSize];
            for (int slot = 0; slot < PageSize; slot++)
            {
                // A bucket would need two billion calls to overflow: fail loudly rather than wrap.
                target[slot] = checked(target[slot] + source[slot]);
            }
        }

        Count += other.Count;
        OverflowCount += other.OverflowCount;
        TotalNanoseconds += other.TotalNanoseconds;
        MaxNanoseconds = Math.Max(MaxNanoseconds, other.MaxNanoseconds);
    }

    /// <summary>
    /// The rank (1-based) of the latency that percentile <paramref name="p"/> reports among <paramref name="count"/>
    /// latencies: ceil(p·N), at least 1. Computed in decimal so that, e.g., 0.99 · 100 is 99 and not 99.000…01 → 100.
    /// </summary>
    public static long Rank(double p, long count)
    {
        if (!(p > 0 && p <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "A percentile is a fraction in (0, 1].");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        long rank = (long)decimal.Ceiling((decimal)p * count);
        return Math.Clamp(rank, 1, count);
    }

    /// <summary>
    /// Percentile <paramref name="p"/> (0.5 for p50) in microseconds: the upper edge of the bucket holding the
    /// ceil(p·N)-th smallest latency. When that latency is in the overflow bucket, which has no upper edge, the
    /// largest recorded latency is returned instead. NaN when nothing was recorded.
    /// </summary>
    public double PercentileMicroseconds(double p)
    {
        if (Count == 0)
        {
            return double.NaN;
        }

        long rank = Rank(p, Count);
        long seen = 0;
        for (int index = 0; index < PageCount; index++)
        {
            if (_pages[index] is not { } page)
            {
                continue;
            }

            for (int slot = 0; slot < PageSize; slot++)
            {
                seen += page[slot];
                if (seen >= rank)
                {
                    long bucket = ((long)index << PageShift) + slot;
                    return (bucket + 1) * BucketWidthNanoseconds / 1000.0;
                }
            }
        }

        return MaxNanoseconds / 1000.0;
    }
}
