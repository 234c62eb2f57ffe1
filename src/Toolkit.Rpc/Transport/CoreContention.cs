using System.Buffers.Text;
using System.Diagnostics;
using Microsoft.Win32.SafeHandles;

namespace Toolkit.Rpc.Transport;

/// <summary>
/// Tells a reader whether the cores are oversubscribed, so that it stops polling its socket: the share of time its own
/// thread spent ready to run but waiting for a core, from Linux's scheduler statistics
/// (<c>/proc/thread-self/schedstat</c>), sampled every <see cref="SamplePeriod"/> and smoothed — and, to call it
/// oversubscribed, more threads ready to run on the machine than it has cores (<c>/proc/loadavg</c>).
/// </summary>
/// <remarks>
/// Polling pays while some core is idle: the data comes while the reader polls, and no halted core has to be woken
/// (on a virtual machine that can take a hundred microseconds and more). When every core is taken it costs: a reader
/// that polls keeps a core from the thread that would send it the data — its peer, or the other side of a loopback
/// connection — so each call waits for the scheduler to take turns, milliseconds. Waiting for a core is what both
/// cases differ in, and the reader measures it on itself. A reader also waits when the scheduler has put it on the
/// same core as its peer's reader while another core idles, until it moves one of them: that is no reason to stop
/// polling (sleeping would keep them together, since a thread woken by a socket tends to run where its waker ran),
/// so the reader stops only if, besides, more threads are ready to run than there are cores. (In a container,
/// loadavg counts the host's threads against the container's cores, so that condition holds more often there, and
/// the waiting alone decides.) Owned by one reader thread.
/// </remarks>
internal sealed class CoreContention : IDisposable
{
    /// <summary>How often the reader's waiting time is sampled.</summary>
    public static readonly TimeSpan SamplePeriod = TimeSpan.FromMilliseconds(20);

    // Above this share of time spent waiting for a core the reader stops polling; below the lower one it polls again.
    private const double High = 0.25;
    private const double Low = 0.10;

    private static readonly long SampleTicks = (long)(SamplePeriod.TotalSeconds * Stopwatch.Frequency);

    private readonly SafeFileHandle _schedstat;
    private readonly SafeFileHandle? _loadavg;
    private readonly byte[] _buffer = new byte[64];
    private long _lastSample;
    private long _lastWaitNanoseconds;
    private double _waitingShare;
    private bool _contended;

    private CoreContention(SafeFileHandle schedstat, SafeFileHandle? loadavg, long now)
    {
        _schedstat = schedstat;
        _loadavg = loadavg;
        _lastSample = now;
    }

    /// <summary>A gauge for the calling thread; null where the platform does not tell (the reader then always polls).</summary>
    public static CoreContention? ForCurrentThread() =>
        // thread-self resolves when opened: the handle then reads this thread's statistics, whichever thread reads.
        OperatingSystem.IsLinux() ? Open("/proc/thread-self/schedstat", "/proc/loadavg", Stopwatch.GetTimestamp()) : null;

    /// <summary>
    /// A gauge reading the schedstat-format file at <paramref name="schedstat"/> and the loadavg-format file at
    /// <paramref name="loadavg"/> (without which it counts the cores as taken), from <paramref name="now"/>; null if
    /// the first cannot be read.
    /// </summary>
    internal static CoreContention? Open(string schedstat, string? loadavg, long now)
    {
        if (OpenOrNull(schedstat) is not { } handle)
        {
            return null;
        }

        CoreContention gauge = new(handle, loadavg is null ? null : OpenOrNull(loadavg), now);
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
        _loadavg?.Dispose();
    }

    private void Sample(long now)
    {
        if (ReadWaitNanoseconds() is not { } wait)
        {
            _contended = false;
            return;
        }

        double elapsedNanoseconds = (now - _lastSample) * 1e9 / Stopwatch.Frequency;
        double share = Math.Clamp((wait - _lastWaitNanoseconds) / elapsedNanoseconds, 0, 1);
        _lastSample = now;
        _lastWaitNanoseconds = wait;

        // Smoothed over a few samples, and with a gap between the two thresholds, so that one long preemption does
        // not stop the polling and the verdict does not flap.
        _waitingShare += (share - _waitingShare) / 4;
        _contended = _contended ? _waitingShare > Low : _waitingShare > High && MoreReadyThanCores();
    }

    /// <summary>Whether more threads are ready to run than the machine has cores (the fourth field of loadavg: ready/all).</summary>
    private bool MoreReadyThanCores()
    {
        if (_loadavg is null)
        {
            return true;
        }

        try
        {
            ReadOnlySpan<byte> text = _buffer.AsSpan(0, RandomAccess.Read(_loadavg, _buffer, 0));
            for (int field = 0; field < 3 && text.IndexOf((byte)' ') is var space and >= 0; field++)
            {
                text = text[(space + 1)..];
            }

            return Utf8Parser.TryParse(text, out int ready, out _) && ready > Environment.ProcessorCount;
        }
        catch (IOException)
        {
            return true;
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
