namespace Toolkit.Rpc.Calls;

/// <summary>
/// A call waiting for its outcome, watched by the <see cref="CallTracker"/> for its deadline. Exactly one of
/// completion, cancellation and timeout wins, by a compare-and-swap on <see cref="_state"/>, which carries a
/// generation so that a late winner from an earlier use of a pooled item never touches the current one.
/// </summary>
internal abstract class PendingCall
{
    private const long StatusMask = 3;
    private const long Free = 0;
    private const long Pending = 1;
    private const long Done = 2;
    private const long Evicted = 3;

    private long _state;
    private long _deadline;
    private long _doneSince;
    private long _token;

    /// <summary>Whether the item is reused after completion (and so stays registered with its tracker).</summary>
    protected abstract bool IsPooled { get; }

    /// <summary>
    /// The token of the current use (<see cref="BeginTracking"/>). A thread that may reach a pooled item after its use
    /// ended reads it first: if completing with it then succeeds, every field it read after belonged to that use.
    /// </summary>
    protected long Token => Volatile.Read(ref _token);

    /// <summary>Starts a new use with the given deadline; returns the token that completes it, also <see cref="Token"/>.</summary>
    protected long BeginTracking(long deadline)
    {
        _deadline = deadline;
        long token = ((Volatile.Read(ref _state) >> 2) + 1) << 2 | Pending;
        // Release: the deadline (and the caller's fields) are visible to the sweeper before the state says Pending,
        // and to whoever reads the token.
        Volatile.Write(ref _state, token);
        Volatile.Write(ref _token, token);
        return token;
    }

    /// <summary>Whether the use identified by <paramref name="token"/> still awaits its outcome.</summary>
    protected bool IsPending(long token) => Volatile.Read(ref _state) == token;

    /// <summary>Claims the right to complete the use identified by <paramref name="token"/>; true for exactly one caller.</summary>
    protected bool TryComplete(long token) => Interlocked.CompareExchange(ref _state, (token & ~StatusMask) | Done, token) == token;

    /// <summary>Makes a completed item reusable; false if the tracker evicted it meanwhile (then it must not be pooled).</summary>
    protected bool TryRecycle()
    {
        long state = Volatile.Read(ref _state);
        return (state & StatusMask) == Done && Interlocked.CompareExchange(ref _state, (state & ~StatusMask) | Free, state) == state;
    }

    /// <summary>
    /// Returns a pooled, tracked item whose use ended to <paramref name="pool"/>: unless the tracker evicted it meanwhile
    /// (it then stays out of the pool), or the pool is full (it then leaves the tracker too).
    /// </summary>
    internal static void Recycle<T>(T call, ItemPool<T> pool)
        where T : PendingCall
    {
        if (call.TryRecycle() && !pool.Return(call))
        {
            call.Abandon();
        }
    }

    /// <summary>Marks a free item as leaving the pool for good, so the tracker forgets it.</summary>
    private void Abandon()
    {
        long state = Volatile.Read(ref _state);
        Interlocked.CompareExchange(ref _state, (state & ~StatusMask) | Evicted, state);
    }

    /// <summary>
    /// Fails a call whose endpoint stopped while its method was still running. <paramref name="token"/> is the use that
    /// was tracked: a pooled item may already serve a later call, which this must leave alone.
    /// </summary>
    internal virtual void FailInFlight(long token, RpcEndpointState state)
    {
    }

    /// <summary>Called once, outside the tracker's lock, after the tracker won the completion for a timeout.</summary>
    protected internal abstract void OnTimedOut();

    /// <summary>
    /// Inspects the item during a sweep. Returns true to forget it; with <paramref name="claimExpired"/>, sets
    /// <paramref name="expired"/> when the deadline passed and the timeout won, so that the tracker calls
    /// <see cref="OnTimedOut"/>. Lowers <paramref name="earliest"/> to the deadline of a call still pending.
    /// </summary>
    internal bool Sweep(long now, long evictAfterTicks, bool claimExpired, ref long earliest, out bool expired)
    {
        expired = false;
        long state = Volatile.Read(ref _state);
        switch (state & StatusMask)
        {
            case Evicted:
                return true;
            case Done:
                if (!IsPooled)
                {
                    return true;
                }

                // Done but never consumed for a long time: its caller dropped the task. Forget it; if it is
                // consumed later after all, TryRecycle fails and the item is simply not pooled.
                if (_doneSince == 0)
                {
                    _doneSince = now;
                }

                return now - _doneSince > evictAfterTicks
                    && Interlocked.CompareExchange(ref _state, (state & ~StatusMask) | Evicted, state) == state;
            case Pending:
                _doneSince = 0;
                // Read the deadline, then confirm the state is unchanged: both then belong to the same use.
                long deadline = Volatile.Read(ref _deadline);
                if (Volatile.Read(ref _state) != state)
                {
                    return false;
                }

                if (claimExpired && deadline <= now)
                {
                    expired = TryComplete(state);
                }
                else
                {
                    earliest = Math.Min(earliest, deadline);
                }

                return false;
            default:
                _doneSince = 0;
                return false;
        }
    }
}
