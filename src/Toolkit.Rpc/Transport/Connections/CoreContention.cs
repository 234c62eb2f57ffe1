using System.Buffers.Text;
using System.Diagnostics;
using Microsoft.Win32.SafeHandles;

namespace Toolkit.Rpc.Transport;

/// <summary>
/// Tells a reader whether the cores are oversubscribed, so that it stops polling its socket: the share of time its own
/// thread spent ready to run but waiting for a core, from Linux's scheduler statistics
/// (<c>/proc/thread-self/schedstat</c>), sampled every <see cref="SamplePeriod"/> and smoothed — and, to call it
/// oversubscribed, the machine's cores hardly ever idle meanwhile (<c>/proc/stat</c>).
/// </summary>
/// <remarks>
/// Why: polling pays while a core idles and costs milliseconds per call once it keeps a core from the very thread that
/// sends the data (docs/design/transport.md, "Reading: a reader thread per connection"). Owned by one reader thread.
/// </remarks>
internal sealed class CoreContention : IDisposable
{
    /// <summary>How often the reader's waiting time is sampled.</summary>
    public static readonly TimeSpan SamplePeriod = TimeSpan.FromMilliseconds(20);

    // Above this share of time spent waiting for a core the reader stops polling; below the lower one it polls again.
    private const double High = 0.25;
    private const double Low = 0.10;

    // ... if the machine's cores idle less than this share of the time; above the second, it polls again.
    private const double Busy = 0.10;
    private const double Idle = 0.25;

    // The fewest clock ticks of the machine's time an idle share is computed over.
    private const long MinimumTicks = 10;

    private static readonly long SampleTicks = (long)(SamplePeriod.TotalSeconds * Stopwatch.Frequency);

    private readonly SafeFileHandle _schedstat;
    private readonly SafeFileHandle? _stat;
    private readonly byte[] _buffer = new byte[256];
    private long _lastSample;
    private long _lastWaitNanoseconds;
    private double _waitingShare;
    private bool _contended;

    // The machine's idle and total time (clock ticks) at the last sample that read them; total is 0 when not read.
    private long _lastIdleTicks;
    private long _lastTotalTicks;
    private double _idleShare = 1;

    private CoreContention(SafeFileHandle schedstat, SafeFileHandle? stat, long now)
    {
        _schedstat = schedstat;
        _stat = stat;
        _lastSample = now;
    }

    /// <summary>A gauge for the calling thread; null where the platform does not tell (the reader then always polls).</summary>
    public static CoreContention? ForCurrentThread() =>
        // thread-self resolves when opened: the handle then reads this thread's statistics, whichever thread reads.
        OperatingSystem.IsLinux() ? Open("/proc/thread-self/schedstat", "/proc/stat", Stopwatch.GetTimestamp()) : null;

    /// <summary>
    /// A gauge reading the schedstat-format file at <paramref name="schedstat"/> and the stat-format file at
    /// <paramref name="stat"/> (without which it counts the cores as busy), from <paramref name="now"/>; null if the
    /// first cannot be read.
    /// </summary>
    internal static CoreContention? Open(string schedstat, string? stat, long now)
    {
        if (OpenOrNull(schedstat) is not { } handle)
        {
            return null;
        }

        CoreContention gauge = new(handle, stat is null ? null : OpenOrNull(stat), now);
        if (gauge.ReadWaitNanoseconds() is not { } wait)
        {
            gauge.Dispose();
            return null;
        }

        gauge._lastWaitNanoseconds = wait;
        return gauge;
    }

    /// <summary>Whether the cores are oversubscribed, as last sampled; samples first when a sample is due at <paramref name="now"/>.</summary>
    public bool IsContended(long now)
    {
        if (now - _lastSample >= SampleTicks)
        {
            Sample(now);
        }

        return _contended;
    }

    public void Dispose()
    {
        _schedstat.Dispose();
        _stat?.Dispose();
    }

    private void Sample(long now)
    {
        double elapsedNanoseconds = (now - _lastSample) * 1e9 / Stopwatch.Frequency;
        _lastSample = now;
        if (ReadWaitNanoseconds() is not { } wait)
        {
            // Unreadable now: poll, and try again next period rather than on every wait.
            _contended = false;
            return;
        }

        double share = Math.Clamp((wait - _lastWaitNanoseconds) / elapsedNanoseconds, 0, 1);
        _lastWaitNanoseconds = wait;

        // Smoothed over a few samples, and with a gap between the two thresholds, so that one long preemption does
        // not stop the polling and the verdict does not flap.
        _waitingShare += (share - _waitingShare) / 4;
        if (_waitingShare > Low)
        {
            SampleIdle();
        }
        else
        {
            // Rarely waiting: the machine's idle time does not matter now, and is not read; start afresh next time.
            _lastTotalTicks = 0;
            _idleShare = 1;
        }

        _contended = _contended
            ? _waitingShare > Low && _idleShare < Idle
            : _waitingShare > High && _idleShare < Busy;
    }

    /// <summary>Folds the share of the machine's time spent idle since the last reading into <see cref="_idleShare"/>.</summary>
    private void SampleIdle()
    {
        if (_stat is null)
        {
            _idleShare = 0;
            return;
        }

        if (ReadMachineTicks() is not var (idle, total))
        {
            return;
        }

        if (_lastTotalTicks == 0)
        {
            (_lastIdleTicks, _lastTotalTicks) = (idle, total);
            return;
        }

        // Clock ticks are 10 ms: a share over fewer of them would say little.
        if (total - _lastTotalTicks < MinimumTicks)
        {
            return;
        }

        double share = Math.Clamp((idle - _lastIdleTicks) / (double)(total - _lastTotalTicks), 0, 1);
        // The first interval after a fresh start counts in full: the verdict must not wait for a slow average.
        _idleShare = _idleShare >= 1 ? share : _idleShare + ((share - _idleShare) / 4);
        (_lastIdleTicks, _lastTotalTicks) = (idle, total);
    }

    /// <summary>
    /// The machine's idle and total time from the first line of stat: <c>cpu user nice system idle iowait irq softirq
    /// steal ...</c>, in clock ticks; idle counts idle and iowait, total everything but steal (time the machine did not have).
    /// </summary>
    private (long Idle, long Total)? ReadMachineTicks()
    {
        try
        {
            ReadOnlySpan<byte> text = _buffer.AsSpan(0, RandomAccess.Read(_stat!, _buffer, 0));
            if (!text.StartsWith("cpu "u8))
            {
                return null;
            }

            text = text[4..];
            long idle = 0;
            long total = 0;
            for (int field = 0; field < 8; field++)
            {
                text = text.TrimStart((byte)' ');
                if (!Utf8Parser.TryParse(text, out long ticks, out int consumed))
                {
                    return null;
                }

                text = text[consumed..];
                idle += field is 3 or 4 ? ticks : 0;
                total += field == 7 ? 0 : ticks;
            }

            return (idle, total);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static SafeFileHandle? OpenOrNull(string path)
    {
        try
        {
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The second of schedstat's three numbers: nanoseconds spent ready to run but waiting for a core.</summary>
    private long? ReadWaitNanoseconds()
    {
        try
        {
            int length = RandomAccess.Read(_schedstat, _buffer, 0);
            ReadOnlySpan<byte> text = _buffer.AsSpan(0, length);
            int space = text.IndexOf((byte)' ');
            return space > 0 && Utf8Parser.TryParse(text[(space + 1)..], out long wait, out _) ? wait : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
