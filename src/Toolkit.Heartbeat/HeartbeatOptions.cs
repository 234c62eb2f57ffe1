namespace Toolkit.Heartbeat;

/// <summary>
/// How a heartbeat manager requests, waits and judges. The defaults are Flink's: a request every 10 s, a target that
/// has not answered for 50 s timed out, unreachable after 2 failed heartbeat calls in a row.
/// </summary>
public sealed class HeartbeatOptions
{
    /// <summary>How often a sender requests a heartbeat from each target; 10 s by default.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a target may stay silent before it is timed out; 50 s by default. Must exceed <see cref="Interval"/>.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(50);

    /// <summary>
    /// Failed heartbeat calls in a row after which a target is unreachable; 2 by default, -1 to never count failures.
    /// A refused or closed connection makes a target unreachable at once, whatever this says.
    /// </summary>
    public int FailureThreshold { get; set; } = 2;

    /// <summary>
    /// How long a heartbeat call may take before it counts as failed; <see cref="Interval"/> when not set.
    /// </summary>
    public TimeSpan? RequestTimeout { get; set; }

    /// <summary>
    /// Spreads the targets of one sender over the interval, so that thousands of them are not requested at once: the
    /// first request to a new target goes out after a random delay of up to <c>Jitter × Interval</c>, the later ones
    /// strictly every interval after it. 1 (the whole interval) by default; 0 requests a new target at once.
    /// </summary>
    public double Jitter { get; set; } = 1.0;

    /// <summary>
    /// How late the manager's own timer may run before the manager counts itself as stalled (a GC pause, a stopped
    /// process, a long turn of the endpoint's main thread); 500 ms by default. Time the manager spent stalled does not
    /// count against its targets: their deadlines move by the stall's length. <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>
    /// turns stall awareness off.
    /// </summary>
    public TimeSpan StallThreshold { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The phi-accrual detector's settings; null (the default) leaves it off and times targets out at <see cref="Timeout"/> only.</summary>
    public PhiAccrualOptions? PhiAccrual { get; set; }

    /// <summary>The request timeout in force: <see cref="RequestTimeout"/>, or <see cref="Interval"/>.</summary>
    public TimeSpan EffectiveRequestTimeout => RequestTimeout ?? Interval;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first setting that cannot work.</summary>
    public void Validate()
    {
        if (Interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Interval), Interval, "The heartbeat interval must be positive.");
        }

        if (Timeout <= Interval)
        {
            throw new ArgumentOutOfRangeException(nameof(Timeout), Timeout, $"The heartbeat timeout must be longer than the interval ({Interval}): a target needs at least one request to answer before it can be timed out.");
        }

        if (FailureThreshold is 0 or < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(FailureThreshold), FailureThreshold, "The failure threshold must be at least 1, or -1 to never count failed heartbeat calls.");
        }

        if (RequestTimeout is { } requestTimeout && requestTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(RequestTimeout), requestTimeout, "The heartbeat request timeout must be positive.");
        }

        if (double.IsNaN(Jitter) || Jitter is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Jitter), Jitter, "The jitter is a fraction of the interval between 0 and 1.");
        }

        if (StallThreshold <= TimeSpan.Zero && StallThreshold != System.Threading.Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(StallThreshold), StallThreshold, "The stall threshold must be positive, or Timeout.InfiniteTimeSpan to turn stall awareness off.");
        }

        PhiAccrual?.Validate();
    }

    /// <summary>A copy, so that a manager is not changed by later edits of the options it was made with.</summary>
    public HeartbeatOptions Clone() => new()
    {
        Interval = Interval,
        Timeout = Timeout,
        FailureThreshold = FailureThreshold,
        RequestTimeout = RequestTimeout,
        Jitter = Jitter,
        StallThreshold = StallThreshold,
        PhiAccrual = PhiAccrual?.Clone(),
    };
}
