namespace Toolkit.Benchmarks.Services;

/// <summary>What a figure is reported with: the machine, how loaded it was, and percentiles.</summary>
internal static class Machine
{
    public static string CpuModel() =>
        File.ReadLines("/proc/cpuinfo").FirstOrDefault(line => line.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";

    public static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    /// <summary>The nearest-rank percentile (the ceil(p·N)-th smallest value).</summary>
    public static double Percentile(IReadOnlyList<double> values, double p)
    {
        List<double> sorted = [.. values.Order()];
        int rank = Math.Max(1, (int)Math.Ceiling(p * sorted.Count));
        return sorted[rank - 1];
    }

    public static string Summary(IReadOnlyList<double> values, string unit) =>
        $"n={values.Count} median={Percentile(values, 0.5):0.###}{unit} p90={Percentile(values, 0.9):0.###}{unit} p99={Percentile(values, 0.99):0.###}{unit} max={values.Max():0.###}{unit} min={values.Min():0.###}{unit}";
}
