using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Toolkit.Rpc.Transport;

/// <summary>
/// Looks, every <see cref="Period"/>, for code holding a connection's reader or its sends longer than
/// <see cref="StallLimit"/> (<see cref="RpcConnection.CheckStalls"/>).
/// While some reader spins waiting for data, that reader does the looking (<see cref="OnSpin"/>), and the process's
/// watchdog thread wakes only every <see cref="RestPeriod"/> to see that it still does; otherwise the thread looks.
/// The thread runs while some service has connections.
/// </summary>
/// <remarks>
/// Why a thread that rests and not a timer: every wake-up takes a core from a spinning reader, and a timer's pool
/// thread spins after its callback (docs/design/transport.md, "Reading: a reader thread per connection", the watchdog).
/// </remarks>
internal static class TransportWatchdog
{
    /// <summary>How often the watchdog looks.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(100);

    /// <summary>How long code may hold a reader or the sends before the watchdog acts.</summary>
    public static readonly TimeSpan StallLimit = TimeSpan.FromMilliseconds(100);

    /// <summary>How long the thread sleeps while spinning readers do the looking: a stall is then seen at most this much later.</summary>
    public static readonly TimeSpan RestPeriod = TimeSpan.FromMilliseconds(500);

    private static readonly long PeriodTicks = ToTicks(Period);
    private static readonly long StallTicks = ToTicks(StallLimit);

    // The services watched, replaced as a whole under Sync, so that a spinning reader reads them without a lock.
    private static readonly Lock Sync = new();
    private static TransportHost[] s_watched = [];
    private static bool s_running;

    // The timestamp from which the next look is due; whoever moves it on by compare-and-swap looks.
    private static long s_nextLook;

    public static void Watch(TransportHost service)
    {
        lock (Sync)
        {
            if (!s_watched.Contains(service))
            {
                Volatile.Write(ref s_watched, [.. s_watched, service]);
            }

            if (!s_running)
            {
                s_running = true;
                new Thread(Run) { IsBackground = true, Name = "Toolkit.Rpc watchdog" }.UnsafeStart();
            }
        }
    }

    public static void Forget(TransportHost service)
    {
        lock (Sync)
        {
            Volatile.Write(ref s_watched, [.. s_watched.Where(watched => watched != service)]);
        }
    }

    /// <summary>Called by a reader on each turn of its spin, with the time it read: looks when a look is due.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void OnSpin(long now)
    {
        long due = Volatile.Read(ref s_nextLook);
        if (now >= due)
        {
            LookIfDue(now, due);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool LookIfDue(long now, long due)
    {
        if (Interlocked.CompareExchange(ref s_nextLook, now + PeriodTicks, due) != due)
        {
            return false;
        }

        foreach (TransportHost service in Volatile.Read(ref s_watched))
        {
            try
            {
                service.Connections.CheckStalls(now, StallTicks);
            }
            catch (Exception exception)
            {
                // The watchdog must keep watching the other services (and this one, next time).
                TransportLog.WatchdogFailed(service.TransportLogger, exception);
            }
        }

        return true;
    }

    private static void Run()
    {
        TimeSpan sleep = Period;
        while (true)
        {
            Thread.Sleep(sleep);
            lock (Sync)
            {
                if (s_watched.Length == 0)
                {
                    s_running = false;
                    return;
                }
            }

            long now = Stopwatch.GetTimestamp();
            long due = Volatile.Read(ref s_nextLook);

            // Not due: a spinning reader looked within the last period, and will look again; rest.
            sleep = now < due || !LookIfDue(now, due) ? RestPeriod : Period;
        }
    }

    private static long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
