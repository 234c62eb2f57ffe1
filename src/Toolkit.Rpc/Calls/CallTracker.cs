namespace Toolkit.Rpc.Calls;

/// <summary>
/// Times out calls. Instead of a timer per call, one periodic sweep checks every registered call's deadline:
/// pooled call items register once when created, so a call costs one timestamp and no allocation.
/// </summary>
internal sealed class CallTracker : IDisposable
{
    private static readonly TimeSpan EvictUnconsumedAfter = TimeSpan.FromMinutes(1);

    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private readonly int _evictAfterSweeps;
    private PendingCall?[] _calls = new PendingCall?[64];
    private int _count;

    public CallTracker(TimeProvider time, TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        _time = time;
        _evictAfterSweeps = (int)Math.Max(1, EvictUnconsumedAfter.Ticks / interval.Ticks);
        _timer = time.CreateTimer(static state => ((CallTracker)state!).Sweep(), this, interval, interval);
    }

    /// <summary>The timestamp at which a call made now with <paramref name="timeout"/> expires.</summary>
    public long DeadlineAfter(TimeSpan timeout)
    {
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            return long.MaxValue;
        }

        long now = _time.GetTimestamp();
        double ticks = timeout.TotalSeconds * _time.TimestampFrequency;
        return ticks >= long.MaxValue - now ? long.MaxValue : now + (long)ticks;
    }

    public void Add(PendingCall call)
    {
        lock (_lock)
        {
            if (_count == _calls.Length)
            {
                Array.Resize(ref _calls, _calls.Length * 2);
            }

            _calls[_count++] = call;
        }
    }

    public void Dispose() => _timer.Dispose();

    private void Sweep()
    {
        long now = _time.GetTimestamp();
        List<PendingCall>? expired = null;
        lock (_lock)
        {
            int i = 0;
            while (i < _count)
            {
                PendingCall call = _calls[i]!;
                if (call.Sweep(now, _evictAfterSweeps, out bool timedOut))
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
        }

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
}
