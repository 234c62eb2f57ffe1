using Toolkit.Heartbeat.Monitoring;
using Toolkit.Rpc;

namespace Toolkit.Heartbeat;

// The timer that drives the manager: one turn on the owner's main thread for the earliest thing due, the stall it
// measures from how late that turn ran, the deadlines that expire, and the next time to arm for.
public abstract partial class HeartbeatManager<TIn, TOut>
{
    /// <summary>Arms the timer earlier if <paramref name="realTime"/> comes before what it is armed for.</summary>
    private protected void ArmNoLaterThan(long realTime)
    {
        if (!_stopped && realTime < Volatile.Read(ref _armedFor))
        {
            Arm(realTime);
        }
    }

    private void OnTimer()
    {
        long due = Volatile.Read(ref _armedFor);
        try
        {
            // The due time travels with the turn: how late the turn runs is how long the manager was stalled.
            Task turn = Owner.RunAsync(() => _tick(due));
            turn.ContinueWith(static task => _ = task.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        catch (RpcEndpointUnavailableException)
        {
            // The endpoint stopped without stopping its manager: nothing is left to monitor for.
            _timer.Dispose();
        }
    }

    private void Tick(object? state)
    {
        if (_stopped)
        {
            return;
        }

        long due = (long)state!;
        long now = RealNow;
        if (due != long.MaxValue && now - due >= _stallThresholdTicks)
        {
            // We ran this late because we could not run: the time since we were last seen running does not count.
            long stall = now - _lastAlive;
            _stalledTicks += stall;
            Metrics.Stalled(Name, TimeSpan.FromTicks(stall));
            HeartbeatLog.Stalled(Logger, Name, TimeSpan.FromTicks(stall).TotalMilliseconds, TimeSpan.FromTicks(now - due).TotalMilliseconds);
        }

        _lastAlive = now;
        Volatile.Write(ref _armedFor, long.MaxValue);
        ExpireDue();
        RunDueWork(now);
        if (!_stopped)
        {
            Arm(NextDue(now));
        }
    }

    private void ExpireDue()
    {
        long now = MonitorNow;
        List<HeartbeatMonitor>? soon = null;
        while (_deadlines.TryPeek(out HeartbeatMonitor? monitor, out long queued) && queued <= now + _deadlineSlackTicks)
        {
            _deadlines.Dequeue();
            if (monitor.Removed || queued != monitor.QueuedDeadline)
            {
                continue;
            }

            if (monitor.Deadline <= now)
            {
                Expire(monitor);
            }
            else if (monitor.Deadline > now + _deadlineSlackTicks)
            {
                QueueDeadline(monitor);
            }
            else
            {
                // Due within the slack: queued again after the loop, so that this pass does not see it twice.
                (soon ??= []).Add(monitor);
            }
        }

        if (soon is not null)
        {
            foreach (HeartbeatMonitor monitor in soon)
            {
                QueueDeadline(monitor);
            }
        }
    }

    private void Expire(HeartbeatMonitor monitor)
    {
        _monitors.Remove(monitor.Id);
        monitor.Removed = true;
        Metrics.Targets(Name, -1);
        Metrics.TimedOut(Name);
        HeartbeatLog.TimedOut(Logger, Name, monitor.Id, TimeSpan.FromTicks(MonitorNow - monitor.LastHeartbeat).TotalMilliseconds);
        try
        {
            Listener.NotifyHeartbeatTimeout(monitor.Id);
        }
        catch (Exception exception)
        {
            HeartbeatLog.ListenerFailed(Logger, exception, Name, nameof(IHeartbeatListener<TIn, TOut>.NotifyHeartbeatTimeout), monitor.Id);
        }
    }

    private long NextDue(long now)
    {
        long next = NextWorkAt();
        if (_deadlines.TryPeek(out _, out long deadline))
        {
            next = Math.Min(next, deadline + _stalledTicks);
        }

        if (_monitors.Count > 0 && _pulseTicks != long.MaxValue)
        {
            // A pulse while anything is monitored, so that a stall is measured from no more than a pulse after it began.
            next = Math.Min(next, now + _pulseTicks);
        }

        return next;
    }

    private void Arm(long realTime)
    {
        Volatile.Write(ref _armedFor, realTime);
        if (realTime == long.MaxValue)
        {
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }

        long delay = Math.Max(0, realTime - RealNow);
        _timer.Change(TimeSpan.FromTicks(delay), Timeout.InfiniteTimeSpan);
    }
}
