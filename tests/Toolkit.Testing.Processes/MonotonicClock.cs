using System.Diagnostics;

namespace Toolkit.Testing.Processes;

/// <summary>
/// The machine's monotonic clock as every process on it reads it (<see cref="Stopwatch.GetTimestamp"/> is
/// CLOCK_MONOTONIC on Linux): child processes print instants on it, so that the test can order events across processes.
/// </summary>
public static class MonotonicClock
{
    public static long Now => Stopwatch.GetTimestamp();

    public static TimeSpan Between(long from, long to) => Stopwatch.GetElapsedTime(from, to);
}
