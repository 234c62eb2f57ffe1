using System.Numerics;

namespace Lottery.Load;

/// <summary>
/// Latencies in microseconds, log-linear: exact below 64 µs, then 32 buckets per power of two (within ~3%). Not
/// thread-safe: the load generator records from its one loop.
/// </summary>
public sealed class LatencyHistogram
{
    private const int SubBuckets = 32;
    private readonly long[] _counts = new long[64 + (40 * SubBuckets)];

    public long Count { get; private set; }

    public long MaxMicros { get; private set; }

    public void Record(long micros)
    {
        micros = Math.Max(0, micros);
        _counts[Index(micros)]++;
        Count++;
        MaxMicros = Math.Max(MaxMicros, micros);
    }

    public void Add(LatencyHistogram other)
    {
        for (int i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
        MaxMicros = Math.Max(MaxMicros, other.MaxMicros);
    }

    /// <summary>The latency at <paramref name="quantile"/> (0.5, 0.99), in microseconds; 0 when empty.</summary>
    public double Percentile(double quantile)
    {
        if (Count == 0)
        {
            return 0;
        }

        long rank = Math.Max(1, (long)Math.Ceiling(quantile * Count));
        long seen = 0;
        for (int i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return Math.Min(UpperBound(i), MaxMicros);
            }
        }

        return MaxMicros;
    }

    private static int Index(long micros)
    {
        if (micros < 64)
        {
            return (int)micros;
        }

        int exponent = BitOperations.Log2((ulong)micros) - 5; // micros >> exponent is in [32, 64)
        int index = 64 + ((exponent - 1) * SubBuckets) + (int)((micros >> exponent) - SubBuckets);
        return Math.Min(index, 64 + (40 * SubBuckets) - 1);
    }

    private static double UpperBound(int index)
    {
        if (index < 64)
        {
            return index;
        }

        int exponent = ((index - 64) / SubBuckets) + 1;
        long sub = ((index - 64) % SubBuckets) + SubBuckets;
        return ((sub + 1) << exponent) - 1;
    }
}
