namespace Toolkit.Benchmarks.Echo.Tests;

public sealed class LatencyHistogramTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 0)]
    [InlineData(99, 0)]
    [InlineData(100, 1)]
    [InlineData(199, 1)]
    [InlineData(45_349, 453)]
    [InlineData(99_999_999, LatencyHistogram.BucketCount - 1)]
    public void A_latency_lands_in_the_100_ns_bucket_whose_half_open_range_holds_it(long nanoseconds, int bucket)
    {
        LatencyHistogram histogram = new();

        histogram.Record(nanoseconds);

        Assert.Equal(1, histogram.CountInBucket(bucket));
        Assert.Equal(0, histogram.OverflowCount);
    }

    [Theory]
    [InlineData(0, 0.1)]
    [InlineData(99, 0.1)]
    [InlineData(100, 0.2)]
    [InlineData(45_301, 45.4)]
    [InlineData(99_999_999, 100_000.0)]
    public void A_percentile_is_the_upper_edge_of_its_bucket(long nanoseconds, double microseconds)
    {
        LatencyHistogram histogram = new();

        histogram.Record(nanoseconds);

        Assert.Equal(microseconds, histogram.PercentileMicroseconds(0.5), 9);
        Assert.Equal(microseconds, histogram.PercentileMicroseconds(0.99), 9);
    }

    [Theory]
    [InlineData(0.5, 100, 50)]
    [InlineData(0.5, 101, 51)]
    [InlineData(0.99, 100, 99)]
    [InlineData(0.99, 101, 100)]
    [InlineData(0.99, 1, 1)]
    [InlineData(0.5, 1, 1)]
    [InlineData(0.001, 10, 1)]
    [InlineData(1.0, 7, 7)]
    [InlineData(0.999, 1000, 999)]
    [InlineData(0.3, 10, 3)]
    public void The_rank_is_ceil_p_times_n_without_floating_point_surprises(double p, long count, long rank)
    {
        Assert.Equal(rank, LatencyHistogram.Rank(p, count));
    }

    [Fact]
    public void Percentiles_select_the_ceil_p_n_th_call()
    {
        // 100 calls: one in each bucket 1..100 (latency k·100 ns + 50 ns lands in bucket k, upper edge (k+1)·100 ns).
        LatencyHistogram histogram = new();
        for (int k = 100; k >= 1; k--)
        {
            histogram.Record((k * 100) + 50);
        }

        // Rank 50 is the call in bucket 50 (edge 5.1 µs); rank 99 is bucket 99 (edge 10.0 µs), not bucket 100.
        Assert.Equal(5.1, histogram.PercentileMicroseconds(0.5), 9);
        Assert.Equal(10.0, histogram.PercentileMicroseconds(0.99), 9);
        Assert.Equal(10.1, histogram.PercentileMicroseconds(1.0), 9);
        Assert.Equal(0.2, histogram.PercentileMicroseconds(0.01), 9);
    }

    [Fact]
    public void Percentiles_count_equal_latencies_once_each()
    {
        LatencyHistogram histogram = new();
        for (int i = 0; i < 98; i++)
        {
            histogram.Record(40_000);
        }

        histogram.Record(200_000);
        histogram.Record(300_000);

        Assert.Equal(40.1, histogram.PercentileMicroseconds(0.98), 9);
        Assert.Equal(200.1, histogram.PercentileMicroseconds(0.99), 9);
        Assert.Equal(300.1, histogram.PercentileMicroseconds(1.0), 9);
    }

    [Fact]
    public void Counting_at_or_above_a_bucket_edge_takes_that_bucket_the_later_pages_and_the_overflow()
    {
        LatencyHistogram histogram = new();
        histogram.Record(9_999);        // bucket 99
        histogram.Record(10_000);       // bucket 100
        histogram.Record(10_099);       // bucket 100
        histogram.Record(250_000);      // bucket 2500, on the third page
        histogram.Record(99_999_999);   // the last bucket
        histogram.Record(LatencyHistogram.RangeNanoseconds); // overflow

        Assert.Equal(6, histogram.CountAtOrAbove(0));
        Assert.Equal(5, histogram.CountAtOrAbove(10_000));
        Assert.Equal(3, histogram.CountAtOrAbove(10_100));
        Assert.Equal(3, histogram.CountAtOrAbove(250_000));
        Assert.Equal(2, histogram.CountAtOrAbove(250_100));
        Assert.Equal(1, histogram.CountAtOrAbove(LatencyHistogram.RangeNanoseconds));
        Assert.Equal(1, histogram.CountAtOrAbove(long.MaxValue / 2));

        // Twice the p50 (here the upper edge of bucket 100, 10.1 µs) is an edge: the calls from 20.2 µs on.
        Assert.Equal(10.1, histogram.PercentileMicroseconds(0.5), 9);
        Assert.Equal(3, histogram.CountAtOrAbove(20_200));
        Assert.Throws<ArgumentOutOfRangeException>(() => histogram.CountAtOrAbove(-1));
    }

    [Fact]
    public void Latencies_of_100_ms_and_more_go_to_the_overflow_bucket_which_reports_the_largest_latency()
    {
        LatencyHistogram histogram = new();
        histogram.Record(50_000);
        histogram.Record(LatencyHistogram.RangeNanoseconds);
        histogram.Record(250_000_000);

        Assert.Equal(3, histogram.Count);
        Assert.Equal(2, histogram.OverflowCount);
        Assert.Equal(0, histogram.CountInBucket(LatencyHistogram.BucketCount - 1));
        Assert.Equal(50.1, histogram.PercentileMicroseconds(0.33), 9);
        Assert.Equal(250_000.0, histogram.PercentileMicroseconds(0.5), 9);
        Assert.Equal(250_000.0, histogram.PercentileMicroseconds(0.99), 9);
    }

    [Fact]
    public void The_mean_is_exact_and_not_made_of_bucket_edges()
    {
        LatencyHistogram histogram = new();
        histogram.Record(10_010);
        histogram.Record(20_020);
        histogram.Record(150_000_000);

        Assert.Equal((10_010 + 20_020 + 150_000_000) / 3.0 / 1000.0, histogram.MeanMicroseconds, 9);
        Assert.Equal(150_000_000, histogram.MaxNanoseconds);
    }

    [Fact]
    public void Negative_latencies_count_as_zero()
    {
        LatencyHistogram histogram = new();

        histogram.Record(-5);

        Assert.Equal(1, histogram.CountInBucket(0));
        Assert.Equal(0, histogram.TotalNanoseconds);
    }

    [Fact]
    public void An_empty_histogram_has_no_percentiles()
    {
        LatencyHistogram histogram = new();

        Assert.True(double.IsNaN(histogram.PercentileMicroseconds(0.5)));
        Assert.True(double.IsNaN(histogram.MeanMicroseconds));
    }

    [Fact]
    public void Merging_adds_every_bucket_the_overflow_the_sum_and_keeps_the_largest_latency()
    {
        LatencyHistogram first = new();
        LatencyHistogram second = new();
        LatencyHistogram third = new();
        first.Record(1_000);
        first.Record(1_050);
        first.Record(120_000_000);
        second.Record(1_099);
        second.Record(5_000_000);
        second.Record(99_999_950);

        LatencyHistogram merged = new();
        merged.Merge(first);
        merged.Merge(second);
        merged.Merge(third);

        Assert.Equal(6, merged.Count);
        Assert.Equal(1, merged.OverflowCount);
        Assert.Equal(3, merged.CountInBucket(10));
        Assert.Equal(1, merged.CountInBucket(50_000));
        Assert.Equal(1, merged.CountInBucket(LatencyHistogram.BucketCount - 1));
        Assert.Equal(1_000 + 1_050 + 120_000_000L + 1_099 + 5_000_000 + 99_999_950, merged.TotalNanoseconds);
        Assert.Equal(120_000_000, merged.MaxNanoseconds);
        Assert.Equal(1.1, merged.PercentileMicroseconds(0.5), 9);
        // ceil(0.66 · 6) = 4: the fourth call is the 5 ms one.
        Assert.Equal(5_000.1, merged.PercentileMicroseconds(0.66), 9);
        Assert.Equal(120_000.0, merged.PercentileMicroseconds(1.0), 9);

        // The sources are unchanged.
        Assert.Equal(3, first.Count);
        Assert.Equal(2, first.CountInBucket(10));
    }

    [Fact]
    public void Merging_gives_the_same_percentiles_as_recording_everything_in_one_histogram()
    {
        Random random = new(42);
        LatencyHistogram single = new();
        LatencyHistogram[] parts = [new(), new(), new(), new()];
        for (int i = 0; i < 10_000; i++)
        {
            long nanoseconds = (long)(Math.Exp(random.NextDouble() * 12) * 100);
            single.Record(nanoseconds);
            parts[i % parts.Length].Record(nanoseconds);
        }

        LatencyHistogram merged = new();
        foreach (LatencyHistogram part in parts)
        {
            merged.Merge(part);
        }

        foreach (double p in new[] { 0.01, 0.5, 0.9, 0.99, 0.999, 1.0 })
        {
            Assert.Equal(single.PercentileMicroseconds(p), merged.PercentileMicroseconds(p));
        }

        Assert.Equal(single.TotalNanoseconds, merged.TotalNanoseconds);
        Assert.Equal(single.OverflowCount, merged.OverflowCount);
    }

    [Fact]
    public void Pages_are_allocated_on_first_use_unless_preallocated()
    {
        LatencyHistogram lazy = new();
        LatencyHistogram preallocated = new(preallocateBelowNanoseconds: 5_000_000);

        Assert.Equal(0, lazy.AllocatedPages);
        Assert.Equal(49, preallocated.AllocatedPages);

        // 4.9 ms is in a preallocated page; 1024 buckets (102.4 us) per page, so 5.1 ms is in page 49, the fiftieth.
        preallocated.Record(4_900_000);
        Assert.Equal(49, preallocated.AllocatedPages);
        preallocated.Record(5_100_000);
        Assert.Equal(50, preallocated.AllocatedPages);
        lazy.Record(50);
        lazy.Record(150);
        Assert.Equal(1, lazy.AllocatedPages);

        // Preallocation changes no count.
        Assert.Equal(2, preallocated.Count);
        Assert.Equal(4_900.1, preallocated.PercentileMicroseconds(0.5), 9);
        Assert.Equal(5_100.1, preallocated.PercentileMicroseconds(1.0), 9);
    }

    [Fact]
    public void Preallocation_is_capped_at_the_range()
    {
        LatencyHistogram histogram = new(preallocateBelowNanoseconds: long.MaxValue);

        Assert.Equal((LatencyHistogram.BucketCount + 1023) / 1024, histogram.AllocatedPages);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.5)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void A_percentile_outside_0_to_1_is_refused(double p)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LatencyHistogram.Rank(p, 10));
    }
}
