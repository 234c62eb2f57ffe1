using System.Diagnostics;

namespace Toolkit.Rpc.Transport;

/// <summary>
/// One thread per process that looks, every <see cref="Period"/>, for code holding a connection's reader or its
/// sends longer than <see cref="StallLimit"/> (<see cref="RpcConnection.CheckReader"/>,
/// <see cref="RpcConnection.CheckHeldSends"/>). It runs while some service has connections.
/// </summary>
/// <remarks>
/// A thread of its own rather than a timer: a timer's callback wakes a pool thread, which then spins looking for
/// more work — on a small machine whose cores are busy with readers, that spinning delays calls measurably.
/// </remarks>
internal static class TransportWatchdog
{
    /// <summary>How often the watchdog looks.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(100);

    /// <summary>How long code may hold a reader or the sends before the watchdog acts.</summary>
    public static readonly TimeSpan StallLimit = TimeSpan.FromMilliseconds(100);

    private static readonly Lock Sync = new();
    private static readonly HashSet<RpcService> Services = [];
    private static bool s_running;

    public static void Watch(RpcService service)
    {
        lock (Sync)
        {
            Services.Add(service);
            if (!s_running)
            {
                s_running = true;
                new Thread(Run) { IsBackground = true, Name = "Toolkit.Rpc watchdog" }.UnsafeStart();
            }
        }
    }

    public static void Forget(RpcService service)
    {
        lock (Sync)
        {
            Services.Remove(service);
        }
    }

    private static void Run()
    {
        long stallTicks = (long)(StallLimit.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            Thread.Sleep(Period);
            RpcService[] services;
            lock (Sync)
            {
                if (Services.Count == 0)
                {
                    s_running = false;
                    return;
                }

                services = [.. Services];
            }

            long now = Stopwatch.GetTimestamp();
            foreach (RpcService service in services)
            {
                try
                {
                    service.CheckConnections(now, stallTicks);
                }
                catch (Exception exception)
                {
                    // The watchdog must keep watching the other services (and this one, next time).
                    TransportLog.WatchdogFailed(service.TransportLogger, exception);
                }
            }
        }
    }
}
