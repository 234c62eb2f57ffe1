using System.Diagnostics;
using System.Globalization;

namespace Toolkit.Benchmarks.Blob;

/// <summary>What the modes share: options, the source file, timing a transfer with the CPU of both processes, medians.</summary>
internal static class Bench
{
    public static int Option(string[] args, string name, int fallback)
    {
        int index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }

    public static string Directory(string[] args) =>
        args.SkipWhile(a => a != "--dir").Skip(1).FirstOrDefault() ?? Path.Combine(Path.GetTempPath(), "toolkit-blob-bench");

    /// <summary>Pseudo-random content (seed 42), so that nothing along the way could compress or shortcut it.</summary>
    public static async Task WriteSourceAsync(string path, long size)
    {
        byte[] block = new byte[1024 * 1024];
        Random random = new(42);
        await using FileStream file = new(path, FileMode.Create, FileAccess.Write, FileShare.None, 0, FileOptions.Asynchronous);
        for (long written = 0; written < size; written += block.Length)
        {
            random.NextBytes(block);
            await file.WriteAsync(block.AsMemory(0, (int)Math.Min(block.Length, size - written)));
        }
    }

    /// <summary>Runs <paramref name="transfer"/> of <paramref name="size"/> bytes: MB/s, and CPU seconds of both processes per GiB.</summary>
    public static async Task<(double MBps, double CpuPerGiB)> MeasureAsync(BenchServer server, long size, Func<Task> transfer)
    {
        TimeSpan cpuBefore = server.Cpu + Process.GetCurrentProcess().TotalProcessorTime;
        Stopwatch watch = Stopwatch.StartNew();
        await transfer();
        watch.Stop();
        TimeSpan cpu = server.Cpu + Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        return (size / 1e6 / watch.Elapsed.TotalSeconds, cpu.TotalSeconds / (size / (1024.0 * 1024 * 1024)));
    }

    public static double Median(IEnumerable<double> values)
    {
        List<double> sorted = [.. values.Order()];
        return sorted.Count == 0 ? double.NaN
            : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    public static string Load() => File.ReadAllText("/proc/loadavg").Split(' ')[0];
}
