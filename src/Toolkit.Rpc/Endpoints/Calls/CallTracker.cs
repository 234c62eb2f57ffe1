namespace Toolkit.Rpc.Calls;

/// <summary>
/// Times out calls. Instead of a timer per call, one sweep checks every registered call's deadline: pooled call
/// items register once when created, so a call costs one timestamp and no allocation.
/// </summary>
/// <remarks>
/// The sweep runs when the earliest pending deadline is due — never sooner than the check interval after the last
/// one, so that a call times out at most that interval late and many deadlines share a sweep — and at the latest
/// <see cref="IdleSweepPeriod"/> after it, to evict pooled items whose callers dropped them. Finished calls need no
/// sweep: <see cref="Add"/> forgets them when the array fills, and until then they hold nothing large (each call lets
/// go of its arguments and result once they are handed over). A service whose calls finish well within their
/// timeouts thus wakes for it about once per timeout, not a hundred times a second: each wake-up costs a timer thread
/// and a pool thread, which on a small machine whose cores are busy with readers delays calls measurably.
/// </remarks>
internal sealed class CallTracker : IDisposable
{
    /// <summary>Pooled items completed but never consumed for this long are evicted (their callers dropped them).</summary>
    public static readonly TimeSpan EvictUnconsumedAfter = TimeSpan.FromMinutes(1);

    /// <summary>The longest time between two sweeps: an unconsumed item is evicted at most two eviction periods after it completed.</summary>
    public static readonly TimeSpan IdleSweepPeriod = EvictUnconsumedAfter / 2;

    private readonly Lock _lock = new();
    private readonly Lock _timerLock = new();
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private readonly long _intervalTicks;
    private readonly long _idleTicks;
    private readonly long _evictTicks;
    private PendingCall?[] _calls = new PendingCall?[64];
    private int _count;

    // The timestamp the timer is set for; long.MaxValue while it is not set (a sweep runs, and sets the next one).
    private long _armedFor = long.MaxValue;
    private long _lastSweep;
    private bool _disposed;

    public CallTracker(TimeProvider time, TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        _time = time;
        _intervalTicks = ToTimestampTicks(interval);
        _idleTicks = Math.Max(_intervalTicks, ToTimestampTicks(IdleSweepPeriod));
        _evictTicks = ToTimestampTicks(EvictUnconsumedAfter);
        _timer = time.CreateTimer(static state => ((CallTracker)state!).Sweep(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _lastSweep = time.GetTimestamp();
        Arm(_lastSweep + _idleTicks);
    }

    /// <summary>The timestamp at which a call made now with <paramref name="timeout"/> expires; the sweep is brought forward to it if need be.</summary>
    public long DeadlineAfter(TimeSpan timeout)
    {
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            return long.MaxValue;
        }

        long now = _time.GetTimestamp();
        double ticks = timeout.TotalSeconds * _time.TimestampFrequency;
        long deadline = ticks >= long.MaxValue - now ? long.MaxValue : now + (long)ticks;
        if (deadline < Volatile.Read(ref _armedFor))
        {
            Arm(deadline);
        }

        return deadline;
    }

    public void Add(PendingCall call)
    {
        lock (_lock)
        {
            if (_count == _calls.Length)
            {
                // Forget finished calls first; grow only when most are still in use.
                Prune(_time.GetTimestamp(), claimExpired: false);
                if (_count > _calls.Length / 2)
                {
                    Array.Resize(ref _calls, _calls.Length * 2);
                }
            }

            _calls[_count++] = call;
        }
    }

    public void Dispose()
    {
        lock (_timerLock)
        {
            _disposed = true;
        }

        _timer.Dispose();
    }

    private long ToTimestampTicks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    /// <summary>Sets the timer for <paramref name="due"/> (no sooner than the interval after the last sweep) if that is earlier than it is set for.</summary>
    private void Arm(long due)
    {
        lock (_timerLock)
        {
            due = Math.Max(due, _lastSweep + _intervalTicks);
            if (_disposed || due >= _armedFor)
            {
                return;
            }

            _armedFor = due;
            long wait = due - _time.GetTimestamp();
            _timer.Change(wait <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(wait / (double)_time.TimestampFrequency), Timeout.InfiniteTimeSpan);
        }
    }

    private void Sweep()
    {
        lock (_timerLock)
        {
            // Deadlines noted while this sweep runs re-arm the timer after it (see the end).
            _armedFor = long.MaxValue;
        }

        long now = _time.GetTimestamp();
        List<PendingCall>? expired;
        long earliest;
        lock (_lock)
        {
            (expired, earliest) = Prune(now, claimExpired: true);
        }

        lock (_timerLock)
        {
            _lastSweep = now;
        }

        Arm(Math.Min(earliest, now + _idleTicks));

        // Outside the lock: timing out cancels the call's token, which runs user callbacks. Each call here was
        // claimed by its sweep, so it cannot be reused before OnTimedOut has run.
        if (expired is not null)
        {
            foreach (PendingCall call in expired)
            {
                call.OnTimedOut();
            }
        }
    }

    /// <summary>
    /// Under <see cref="_lock"/>: forgets finished calls and, with <paramref name="claimExpired"/>, claims expired ones
    /// (returned, for <see cref="PendingCall.OnTimedOut"/>); returns the earliest deadline still pending.
    /// </summary>
    private (List<PendingCall>? Expired, long Earliest) Prune(long now, bool claimExpired)
    {
        List<PendingCall>? expired = null;
        long earliest = long.MaxValue;
        int i = 0;
        while (i < _count)
        {
            PendingCall call = _calls[i]!;
            if (call.Sweep(now, _evictTicks, claimExpired, ref earliest, out bool timedOut))
            {
                _calls[i] = _calls[--_count];
                _calls[_count] = null;
            }
            else
            {
                i++;
            }

            if (timedOut)
            {
                (expired ??= []).Add(call);
            }
        }

        return (expired, earliest);
    }
}
